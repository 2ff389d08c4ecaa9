"""osb_credit: concurrent confirmations can never together exceed a credit limit.

A customer has room for exactly 5 of 20 identical orders; 20 XML-RPC clients
confirm them at the same time against a real server in prefork mode (as
production runs it): exactly 5 confirm, 15 are held, and the exposure stays
within the limit. Ten rounds. Parallel confirmations of one customer, created
moments before, never conflict on a shared row: the server logs no
serialisation failure (not even one Odoo retried) and no error."""

import threading
import xmlrpc.client

import pytest
from osb_credit_fixtures import osb_credit_enforced

from odoo import Command
from odoo.tests import new_test_user

from conftest import committed_env, server_errors

ORDERS = 20
ROOM = 5
AMOUNT = 1000.0
ROUNDS = 10
LOGIN = "osb_conc_salesman"


@pytest.fixture(scope="module")
def conc_setup():
    with committed_env() as env:
        user = env["res.users"].search([("login", "=", LOGIN)])
        if not user:
            user = new_test_user(env, login=LOGIN, groups="sales_team.group_sale_salesman", name="OSB Concurrency")
        product = env["product.product"].search([("default_code", "=", "OSB-CONC")])
        if not product:
            product = env["product.product"].create(
                {
                    "name": "OSB concurrency service",
                    "default_code": "OSB-CONC",
                    "type": "service",
                    "invoice_policy": "order",
                    "list_price": AMOUNT,
                    "taxes_id": [Command.clear()],
                }
            )
        setup = {"user_id": user.id, "product_id": product.id, "company_id": env.company.id}
    with osb_credit_enforced():
        yield setup


def _make_round(setup, index, orders=ORDERS, room=ROOM):
    with committed_env() as env:
        term = env.ref("account.account_payment_term_immediate")
        customer = env["res.partner"].create(
            {
                "name": f"OSB Concurrency Customer {index}",
                "is_company": True,
                "credit_limit": room * AMOUNT,
                "property_payment_term_id": term.id,
                "user_id": setup["user_id"],
                "osb_slt_user_id": setup["user_id"],
                "osb_credit_grade": "A",
            }
        )
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "user_id": setup["user_id"],
                    "order_line": [
                        Command.create(
                            {"product_id": setup["product_id"], "price_unit": AMOUNT, "tax_id": [Command.clear()]}
                        )
                    ],
                }
                for _i in range(orders)
            ]
        )
        return customer.id, orders.ids


def confirm_in_parallel(server, order_ids):
    """Confirm each order from its own client, all at once; returns the faults
    and the server's log lines written meanwhile."""
    client = server.client(LOGIN)
    clients = [client.clone() for _i in order_ids]
    barrier = threading.Barrier(len(order_ids))
    errors = []

    def confirm(client, order_id):
        barrier.wait()
        try:
            client.call("sale.order", "action_confirm", [order_id])
        except xmlrpc.client.Fault as fault:  # pragma: no cover - reported below
            errors.append(fault.faultString[-500:])

    mark = server.log_mark()
    threads = [threading.Thread(target=confirm, args=(c, o)) for c, o in zip(clients, order_ids, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return errors, server.log_since(mark)


@pytest.mark.parametrize("round_index", range(ROUNDS))
def test_parallel_confirmations_never_exceed_the_limit(odoo_prefork_server, conc_setup, round_index):
    customer_id, order_ids = _make_round(conc_setup, round_index)
    errors, log = confirm_in_parallel(odoo_prefork_server, order_ids)
    assert not errors, errors
    assert not server_errors(log), server_errors(log)[:20]
    with committed_env() as env:
        orders = env["sale.order"].browse(order_ids)
        states = orders.mapped("state")
        assert states.count("sale") == ROOM, states
        held = orders.filtered("credit_hold")
        assert len(held) == ORDERS - ROOM
        assert set(held.mapped("state")) == {"draft"}
        assert set(held.mapped("credit_hold_reason")) == {"limit"}
        values = env["osb.credit.exposure"]._compute_exposure([customer_id], env.company)[customer_id]
        assert values["exposure"] == pytest.approx(ROOM * AMOUNT)
        assert values["exposure"] <= values["credit_limit"]


def test_parallel_confirmations_of_a_new_customer_do_not_conflict(odoo_prefork_server, conc_setup):
    """12 orders of a customer created moments before, all within its limit, confirmed
    at once: all confirm, and no confirmation waited for or failed on a row another
    one wrote (partner, company, sequence): no serialisation failure in the log."""
    customer_id, order_ids = _make_round(conc_setup, "new customer", orders=12, room=12)
    errors, log = confirm_in_parallel(odoo_prefork_server, order_ids)
    assert not errors, errors
    assert not server_errors(log), server_errors(log)[:20]
    with committed_env() as env:
        orders = env["sale.order"].browse(order_ids)
        assert orders.mapped("state") == ["sale"] * 12
        assert len(set(orders.mapped("name"))) == 12
        values = env["osb.credit.exposure"]._compute_exposure([customer_id], env.company)[customer_id]
        assert values["exposure"] == pytest.approx(12 * AMOUNT)


def test_check_counts_a_confirmation_committed_after_its_snapshot(conc_setup):
    """Transaction A takes its snapshot; B confirms the order that fills the limit and
    commits; A, which cannot see B's order, confirms one more: it must be held."""
    customer_id, order_ids = _make_round(conc_setup, "snapshot")
    user = conc_setup["user_id"]
    with committed_env(user) as env:
        env["sale.order"].browse(order_ids[: ROOM - 1]).action_confirm()
    with committed_env(user) as env_a:
        order_a = env_a["sale.order"].browse(order_ids[ROOM])
        assert order_a.state == "draft"  # A's snapshot is taken here
        with committed_env(user) as env_b:
            env_b["sale.order"].browse(order_ids[ROOM - 1]).action_confirm()
        assert env_a["sale.order"].search_count([("id", "in", order_ids), ("state", "=", "sale")]) == ROOM - 1
        order_a.action_confirm()
    with committed_env() as env:
        orders = env["sale.order"].browse(order_ids)
        assert orders[:ROOM].mapped("state") == ["sale"] * ROOM
        assert orders[ROOM].state == "draft"
        assert orders[ROOM].credit_hold_reason == "limit"
        assert orders[ROOM].credit_hold_exposure == pytest.approx((ROOM + 1) * AMOUNT)
        values = env["osb.credit.exposure"]._compute_exposure([customer_id], env.company)[customer_id]
        assert values["exposure"] == pytest.approx(ROOM * AMOUNT)
