"""Customer returns (退货) over XML-RPC against the real (prefork) server: a rep of
another team cannot read a KAM's return, bad input is refused with a clear
error and nothing written, and the docs example runs (create, approve, receive,
credit note)."""

import uuid
import xmlrpc.client

import pytest

from odoo import Command
from odoo.tests import new_test_user

from conftest import committed_env, run_docs_example

ACCESS_FAULT = 4


def _delivered_order(env, customer, user, team, product, qty):
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "user_id": user.id,
            "team_id": team.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty, "price_unit": 90.0})],
        }
    )
    order.action_confirm()
    assert order.state == "sale", order.confirmation_hold_message
    for move in order.picking_ids.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    order.picking_ids.with_context(skip_sms=True)._action_done()
    order._create_invoices().action_post()
    return order


@pytest.fixture(scope="module")
def return_setup():
    tag = uuid.uuid4().hex[:6]
    with committed_env() as env:
        groups = "sales_team.group_sale_salesman,stock.group_stock_user,account.group_account_invoice"
        kam = new_test_user(env, login=f"osb_ret_kam_{tag}", groups=groups, name=f"Return KAM {tag}")
        rep2 = new_test_user(
            env, login=f"osb_ret_rep2_{tag}", groups="sales_team.group_sale_salesman", name=f"Return Rep {tag}"
        )
        Team = env["crm.team"]
        team = Team.create({"name": f"Return East {tag}", "team_type": "market"})
        team2 = Team.create({"name": f"Return North {tag}", "team_type": "market"})
        env["crm.team.member"].create({"crm_team_id": team.id, "user_id": kam.id})
        env["crm.team.member"].create({"crm_team_id": team2.id, "user_id": rep2.id})
        customer = env["res.partner"].create(
            {
                "name": f"Return Customer {tag}",
                "is_company": True,
                "credit_limit": 1000000.0,
                "property_payment_term_id": env.ref("account.account_payment_term_immediate").id,
                "user_id": kam.id,
                "osb_credit_grade": "A",
            }
        )
        product = env["product.product"].create(
            {
                "name": f"Return Wine {tag}",
                "type": "consu",
                "invoice_policy": "delivery",
                "list_price": 90.0,
                "taxes_id": [Command.clear()],
            }
        )
        other = env["product.product"].create({"name": f"Return Water {tag}", "type": "consu", "list_price": 1.0})
        order = _delivered_order(env, customer, kam, team, product, 10)
        docs_order = _delivered_order(env, customer, kam, team, product, 10)
        setup = {
            "kam": kam.login,
            "rep2": rep2.login,
            "order_id": order.id,
            "order_name": order.name,
            "docs_order_id": docs_order.id,
            "product_id": product.id,
            "other_id": other.id,
            "sale_line_id": order.order_line.id,
        }
    return setup


def _fault(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as info:
        call(*args, **kwargs)
    return info.value


def _counts(order_id):
    with committed_env() as env:
        returns = env["osb.return"].search([("order_id", "=", order_id)])
        return len(returns), len(returns.line_ids), env["stock.picking"].search_count([("osb_return_id", "!=", False)])


def test_rep_of_another_team_cannot_read_a_return(odoo_prefork_server, return_setup):
    kam = odoo_prefork_server.client(return_setup["kam"])
    rep2 = odoo_prefork_server.client(return_setup["rep2"])
    return_id = kam.call(
        "osb.return",
        "create",
        {
            "order_id": return_setup["order_id"],
            "line_ids": [[0, 0, {"product_id": return_setup["product_id"], "quantity": 1, "reason": "other"}]],
        },
    )
    assert kam.call("osb.return", "read", [return_id], ["state"])[0]["state"] == "draft"
    fault = _fault(rep2.call, "osb.return", "read", [return_id], ["name", "amount_untaxed"])
    assert fault.faultCode == ACCESS_FAULT, fault.faultString
    assert rep2.call("osb.return", "search", [("id", "=", return_id)]) == []
    assert rep2.call("osb.return.line", "search", [("return_id", "=", return_id)]) == []
    fault = _fault(rep2.call, "osb.return", "action_approve", [return_id])
    assert fault.faultCode == ACCESS_FAULT, fault.faultString
    kam.call("osb.return", "action_cancel", [return_id])


@pytest.mark.parametrize(
    ("kind", "line", "expected"),
    [
        ("negative quantity", {"quantity": -2}, "Quantity: the quantity returned must be positive"),
        ("zero quantity", {"quantity": 0}, "Quantity: the quantity returned must be positive"),
        ("over the delivered", {"quantity": 11}, "can still be returned (delivered 10.00, already returned"),
        ("product not on the order", {"product": "other"}, "is not on the order"),
        ("unknown reason", {"reason": "broken"}, "reason"),
        ("quantity as text", {"quantity": "many"}, "quantity"),
    ],
)
def test_bad_input_refused_nothing_written(odoo_prefork_server, return_setup, kind, line, expected):
    kam = odoo_prefork_server.client(return_setup["kam"])
    before = _counts(return_setup["order_id"])
    values = {
        "product_id": return_setup["other_id"] if line.get("product") == "other" else return_setup["product_id"],
        "quantity": line.get("quantity", 1),
        "reason": line.get("reason", "quality"),
    }
    fault = _fault(
        kam.call, "osb.return", "create", {"order_id": return_setup["order_id"], "line_ids": [[0, 0, values]]}
    )
    assert fault.faultCode == 2, (kind, fault.faultString)
    assert expected in fault.faultString, (kind, fault.faultString)
    assert _counts(return_setup["order_id"]) == before, kind


def test_state_and_submitted_lines_not_writable(odoo_prefork_server, return_setup):
    kam = odoo_prefork_server.client(return_setup["kam"])
    return_id = kam.call(
        "osb.return",
        "create",
        {
            "order_id": return_setup["order_id"],
            "line_ids": [[0, 0, {"sale_line_id": return_setup["sale_line_id"], "quantity": 1, "reason": "other"}]],
        },
    )
    fault = _fault(kam.call, "osb.return", "write", [return_id], {"state": "refunded"})
    assert "status of a return is set only" in fault.faultString
    kam.call("osb.return", "action_submit", [return_id])
    line_ids = kam.call("osb.return", "read", [return_id], ["line_ids"])[0]["line_ids"]
    fault = _fault(kam.call, "osb.return.line", "write", line_ids, {"quantity": 9})
    assert "cannot be edited" in fault.faultString
    assert kam.call("osb.return.line", "read", line_ids, ["quantity"])[0]["quantity"] == 1.0
    kam.call("osb.return", "action_reject", [return_id], reason="Wrong line")
    ret = kam.call("osb.return", "read", [return_id], ["state", "approval_reason", "picking_ids", "credit_note_ids"])
    assert ret[0]["state"] == "rejected" and ret[0]["approval_reason"] == "Wrong line"
    assert ret[0]["picking_ids"] == [] and ret[0]["credit_note_ids"] == []


def test_returns_docs_example_runs(odoo_prefork_server, return_setup):
    proc = run_docs_example(
        "osb_credit.md",
        odoo_prefork_server,
        return_setup["kam"],
        fence="python returns",
        RETURN_ORDER_ID=return_setup["docs_order_id"],
        RETURN_PRODUCT_ID=return_setup["product_id"],
    )
    out = proc.stdout
    assert "refused: Quantity: " in out and "1,000.00 Units asked, but only 10.00 Units can still be returned" in out
    assert "submitted: to_approve kam 180.0" in out
    assert "approved: approved pickings: 1 complaint: True" in out
    assert "picking: incoming assigned" in out
    assert "received: received out_refund draft 180.0" in out
    assert "after posting: refunded" in out
