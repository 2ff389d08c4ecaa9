"""osb_credit over XML-RPC against a real server: releases are for credit
managers only, no client flag skips the check, and the docs example runs."""

import xmlrpc.client

import pytest
from osb_credit_fixtures import osb_credit_enforced

from odoo import Command
from odoo.tests import new_test_user

from conftest import committed_env, run_docs_example

SALESMAN = "osb_rpc_salesman"
MANAGER = "osb_rpc_credit_manager"


@pytest.fixture(scope="module")
def rpc_setup():
    with committed_env() as env:
        users = {}
        for login, groups in (
            (SALESMAN, "sales_team.group_sale_salesman"),
            (MANAGER, "osb_credit.group_osb_credit_manager,sales_team.group_sale_salesman_all_leads"),
        ):
            user = env["res.users"].search([("login", "=", login)])
            users[login] = user or new_test_user(env, login=login, groups=groups, name=login)
        product = env["product.product"].create(
            {"name": "OSB RPC service", "type": "service", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        customer = env["res.partner"].create(
            {
                "name": "OSB RPC Customer",
                "is_company": True,
                "credit_limit": 1000.0,
                "property_payment_term_id": env.ref("account.account_payment_term_immediate").id,
                "user_id": users[SALESMAN].id,
                "osb_slt_user_id": users[MANAGER].id,
                "osb_credit_grade": "A",
            }
        )
        setup = {"customer_id": customer.id, "product_id": product.id}
    with osb_credit_enforced():
        yield setup


def test_release_by_non_manager_fails_and_order_stays_held(odoo_server, rpc_setup):
    salesman = odoo_server.client(SALESMAN)
    order_id = salesman.call(
        "sale.order",
        "create",
        {
            "partner_id": rpc_setup["customer_id"],
            "order_line": [(0, 0, {"product_id": rpc_setup["product_id"], "product_uom_qty": 15})],
        },
    )
    # No context key or flag skips the check.
    salesman.call("sale.order", "action_confirm", [order_id], context={"skip_credit_check": True})
    order = salesman.call("sale.order", "read", [order_id], ["state", "credit_hold", "credit_hold_reason"])[0]
    assert (order["state"], order["credit_hold"], order["credit_hold_reason"]) == ("draft", True, "limit")
    with pytest.raises(xmlrpc.client.Fault, match="Only credit managers can release credit holds"):
        salesman.call("osb.credit.release", "create", {"order_id": order_id, "reason": "please"})
    with pytest.raises(xmlrpc.client.Fault, match="credit check only"):
        salesman.call("sale.order", "write", [order_id], {"credit_hold": False})
    with pytest.raises(xmlrpc.client.Fault, match="cannot be confirmed"):
        salesman.call("sale.order", "write", [order_id], {"state": "sale"})
    order = salesman.call("sale.order", "read", [order_id], ["state", "credit_hold"])[0]
    assert (order["state"], order["credit_hold"]) == ("draft", True)
    assert not salesman.call("osb.credit.release", "search", [("order_id", "=", order_id)])
    # The credit manager releases it: on record, and the order is confirmed.
    manager = odoo_server.client(MANAGER)
    release_id = manager.call("osb.credit.release", "create", {"order_id": order_id, "reason": "Guarantee"})
    release = manager.call("osb.credit.release", "read", [release_id], ["user_id", "released_amount"])[0]
    assert release["user_id"][0] == manager.uid
    assert release["released_amount"] == pytest.approx(1500.0)
    order = salesman.call("sale.order", "read", [order_id], ["state", "credit_hold"])[0]
    assert (order["state"], order["credit_hold"]) == ("sale", False)


def test_docs_example_runs(odoo_prefork_server, rpc_setup):
    with committed_env() as env:
        env["res.partner"].browse(rpc_setup["customer_id"]).credit_limit = 1000.0
    proc = run_docs_example(
        "osb_credit.md",
        odoo_prefork_server,
        MANAGER,
        OSB_CUSTOMER_ID=rpc_setup["customer_id"],
        OSB_PRODUCT_ID=rpc_setup["product_id"],
    )
    assert "held: True" in proc.stdout
    assert "confirmed after release: sale" in proc.stdout


def test_negative_credit_limit_is_refused_and_nothing_written(odoo_server, rpc_setup):
    manager = odoo_server.client(MANAGER)
    customer_id = rpc_setup["customer_id"]
    with pytest.raises(
        xmlrpc.client.Fault, match=r"Credit Limit: the credit limit of OSB RPC Customer cannot be negative"
    ):
        manager.call("res.partner", "write", [customer_id], {"credit_limit": -5000.0, "comment": "half-written?"})
    partner = manager.call("res.partner", "read", [customer_id], ["credit_limit", "comment"])[0]
    assert (partner["credit_limit"], partner["comment"]) == (1000.0, False)
    count = manager.call("res.partner", "search_count", [])
    with pytest.raises(xmlrpc.client.Fault, match="cannot be negative"):
        manager.call("res.partner", "create", {"name": "OSB RPC Negative", "credit_limit": -1.0})
    assert manager.call("res.partner", "search_count", []) == count


def test_release_of_an_order_not_on_hold_is_refused(odoo_server, rpc_setup):
    salesman = odoo_server.client(SALESMAN)
    manager = odoo_server.client(MANAGER)
    with committed_env() as env:
        template = env["res.partner"].browse(rpc_setup["customer_id"])
        customer = env["res.partner"].create(
            {
                "name": "OSB RPC Roomy",
                "is_company": True,
                "credit_limit": 100000.0,
                "property_payment_term_id": template.property_payment_term_id.id,
                "user_id": template.user_id.id,
                "osb_slt_user_id": template.osb_slt_user_id.id,
            }
        )
        customer_id = customer.id
    line = (0, 0, {"product_id": rpc_setup["product_id"], "product_uom_qty": 1})
    quotation_id = salesman.call("sale.order", "create", {"partner_id": customer_id, "order_line": [line]})
    confirmed_id = salesman.call("sale.order", "create", {"partner_id": customer_id, "order_line": [line]})
    salesman.call("sale.order", "action_confirm", [confirmed_id])
    assert salesman.call("sale.order", "read", [confirmed_id], ["state"])[0]["state"] == "sale"
    for order_id in (quotation_id, confirmed_id):
        with pytest.raises(xmlrpc.client.Fault, match=r"Order: S\d+ is not on credit hold"):
            manager.call("osb.credit.release", "create", {"order_id": order_id, "reason": "Just in case"})
        assert not manager.call("osb.credit.release", "search", [("order_id", "=", order_id)])
