"""The OSB timeline over XML-RPC against the real prefork server: an order's steps
are stamped by its documents, a manual step is ticked by its owner role only
(another role gets an access fault and nothing is written), a second tick is
refused, and the docs example runs."""

import uuid
import xmlrpc.client

import pytest

from odoo import Command
from odoo.tests import new_test_user

from conftest import committed_env, run_docs_example


@pytest.fixture(scope="module")
def timeline_setup():
    tag = uuid.uuid4().hex[:6]
    with committed_env() as env:
        company = env["res.company"].create({"name": f"OSB RPC Timeline {tag}"})

        def user(role, groups):
            login = f"osb_tl_rpc_{role}_{tag}"
            return new_test_user(env, login=login, groups=groups, company_id=company.id, name=login)

        users = {
            "rep": user("rep", "sales_team.group_sale_salesman"),
            "csr": user("csr", "osb_credit.group_osb_csr"),
            "scr": user("scr", "osb_credit.group_osb_scr"),
            "bcr": user("bcr", "osb_credit.group_osb_bcr"),
        }
        for role in ("csr", "scr", "bcr"):
            env["osb.role.rule"].create({"company_id": company.id, "role": role, "user_id": users[role].id})
        customer = env["res.partner"].create({"name": f"OSB RPC Timeline Customer {tag}", "is_company": True})
        product = env["product.product"].create(
            {"name": f"OSB RPC Timeline Goods {tag}", "type": "consu", "taxes_id": [Command.clear()]}
        )
        setup = {
            "logins": {key: value.login for key, value in users.items()},
            "uids": {key: value.id for key, value in users.items()},
            "customer_id": customer.id,
            "product_id": product.id,
        }
    return setup


def _confirmed_order(server, setup):
    rep = server.client(setup["logins"]["rep"])
    line = (0, 0, {"product_id": setup["product_id"], "product_uom_qty": 2})
    order_id = rep.call("sale.order", "create", {"partner_id": setup["customer_id"], "order_line": [line]})
    rep.call("sale.order", "action_confirm", [order_id])
    return order_id


def _steps(client, order_id):
    rows = client.call(
        "osb.order.step", "search_read", [("order_id", "=", order_id)], ["step_id", "done_date", "user_id", "owner_id"]
    )
    with committed_env() as env:
        codes = {step.id: step.code for step in env["osb.step"].search([])}
    return {codes[row["step_id"][0]]: row for row in rows}


def test_confirmation_and_reservation_stamp_their_steps(odoo_prefork_server, timeline_setup):
    order_id = _confirmed_order(odoo_prefork_server, timeline_setup)
    scr = odoo_prefork_server.client(timeline_setup["logins"]["scr"])
    steps = _steps(scr, order_id)
    for code in ("op_received", "op_credit_checked", "op_confirmed", "sp_delivery_created", "sp_stock_reserved"):
        assert steps[code]["done_date"], code
    assert not steps["sp_picked_packed"]["done_date"]
    assert steps["sp_picked_packed"]["owner_id"][0] == timeline_setup["uids"]["scr"]
    assert steps["op_confirmed"]["owner_id"][0] == timeline_setup["uids"]["csr"]


def test_manual_step_only_by_its_owner_role(odoo_prefork_server, timeline_setup):
    order_id = _confirmed_order(odoo_prefork_server, timeline_setup)
    csr = odoo_prefork_server.client(timeline_setup["logins"]["csr"])
    bcr = odoo_prefork_server.client(timeline_setup["logins"]["bcr"])
    for client in (csr, bcr):
        with pytest.raises(xmlrpc.client.Fault, match="Only the SCR .* of the order or the SSG leader") as fault:
            client.call("sale.order", "action_osb_tick_step", [order_id], "sp_picked_packed")
        assert fault.value.faultCode == 4  # AccessError
    scr = odoo_prefork_server.client(timeline_setup["logins"]["scr"])
    assert not _steps(scr, order_id)["sp_picked_packed"]["done_date"]
    assert scr.call("sale.order", "action_osb_tick_step", [order_id], "sp_picked_packed") is True
    row = _steps(scr, order_id)["sp_picked_packed"]
    assert row["done_date"] and row["user_id"][0] == timeline_setup["uids"]["scr"]
    with pytest.raises(xmlrpc.client.Fault, match="is done already") as fault:
        scr.call("sale.order", "action_osb_tick_step", [order_id], "sp_picked_packed")
    assert fault.value.faultCode == 2  # UserError
    assert _steps(scr, order_id)["sp_picked_packed"]["done_date"] == row["done_date"]
    # Nobody writes the rows directly.
    with pytest.raises(xmlrpc.client.Fault) as fault:
        scr.call("osb.order.step", "write", [row["id"]], {"done_date": False})
    assert fault.value.faultCode == 4


def test_docs_example_runs(odoo_prefork_server, timeline_setup):
    order_id = _confirmed_order(odoo_prefork_server, timeline_setup)
    proc = run_docs_example(
        "osb_credit.md",
        odoo_prefork_server,
        timeline_setup["logins"]["scr"],
        example="osb-timeline",
        OSB_ORDER_ID=order_id,
    )
    assert "ticked: True" in proc.stdout
    assert "refused: The step Picked and packed is done already" in proc.stdout
    assert "late steps:" in proc.stdout
