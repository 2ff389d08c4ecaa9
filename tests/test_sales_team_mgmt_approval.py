"""Order approval over XML-RPC against a real server: routing up the tree, approve,
reject, and every way a client could try to confirm an unapproved order."""

import xmlrpc.client

import pytest
from sales_team_mgmt_fixtures import build_org, create_order

# XML-RPC clients write x2many commands as plain triples: (0, 0, values) creates a line.
FIELDS = ["state", "approval_state", "approver_id", "approval_reason", "amount_untaxed"]


@pytest.fixture(scope="module")
def org(odoo_prefork_server):
    return build_org()


def read(client, order_id):
    return client.call("sale.order", "read", [order_id], FIELDS)[0]


def new_quotation(client, org, qty, discount=0.0):
    """The rep creates the quotation himself, as an integration would."""
    return client.call(
        "sale.order",
        "create",
        {
            "partner_id": org["customer_id"],
            "order_line": [(0, 0, {"product_id": org["product_id"], "product_uom_qty": qty, "discount": discount})],
        },
    )


def test_within_authority_confirms(odoo_prefork_server, org):
    rep = odoo_prefork_server.client(org["rep_login"])
    order_id = new_quotation(rep, org, 40)
    assert rep.call("sale.order", "action_confirm", [order_id]) is True
    values = read(rep, order_id)
    assert (values["state"], values["approval_state"], values["amount_untaxed"]) == ("sale", "none", 40000.0)


@pytest.mark.parametrize(
    ("qty", "discount", "approver"),
    [
        (150, 0.0, "um"),  # above the rep: the unit leader
        (250, 0.0, "rm_a1"),  # above the unit leader: the region manager
        (450, 0.0, "mm_a"),  # above the region manager: the market manager
        (900, 0.0, "director"),  # above everyone but the SLT member in charge
        (1, 11.0, "rm_a1"),  # a discount above the rep's and the unit leader's
    ],
)
def test_routing_up_the_tree(odoo_prefork_server, org, qty, discount, approver):
    rep = odoo_prefork_server.client(org["rep_login"])
    order_id = new_quotation(rep, org, qty, discount)
    assert rep.call("sale.order", "action_confirm", [order_id]) is True
    values = read(rep, order_id)
    assert values["state"] == "draft"
    assert values["approval_state"] == "to_approve"
    assert values["approver_id"][0] == org[f"{approver}_id"]
    # The approver finds it in his list, with an activity.
    boss = odoo_prefork_server.client(org[f"{approver}_login"])
    waiting = boss.call(
        "sale.order",
        "search",
        [("approval_state", "=", "to_approve"), ("approver_id", "=", boss.uid)],
    )
    assert order_id in waiting
    activities = boss.call(
        "mail.activity", "search_read", [("res_model", "=", "sale.order"), ("res_id", "=", order_id)], ["user_id"]
    )
    assert [a["user_id"][0] for a in activities] == [boss.uid]


def test_unapproved_order_cannot_be_confirmed_by_any_call(odoo_prefork_server, org):
    rep = odoo_prefork_server.client(org["rep_login"])
    order_id = new_quotation(rep, org, 150)
    rep.call("sale.order", "action_confirm", [order_id])
    with pytest.raises(xmlrpc.client.Fault, match="waiting for approval"):
        rep.call("sale.order", "action_confirm", [order_id])
    with pytest.raises(xmlrpc.client.Fault, match="exceed the salesperson's authority"):
        rep.call("sale.order", "write", [order_id], {"state": "sale"})
    with pytest.raises(xmlrpc.client.Fault, match="cannot be written directly"):
        rep.call("sale.order", "write", [order_id], {"approval_state": "approved", "approved_amount": 1e9})
    with pytest.raises(xmlrpc.client.Fault, match="only .* a leader above them or a sales administrator"):
        rep.call("sale.order", "action_approval_approve", [order_id])
    with pytest.raises(xmlrpc.client.Fault, match="cannot be written directly"):
        rep.call(
            "sale.order",
            "create",
            {"partner_id": org["customer_id"], "approval_state": "approved", "approved_amount": 1e9},
        )
    with pytest.raises(xmlrpc.client.Fault, match="salesperson's authority"):
        rep.call(
            "sale.order",
            "create",
            {
                "partner_id": org["customer_id"],
                "state": "sale",
                "order_line": [(0, 0, {"product_id": org["product_id"], "product_uom_qty": 150})],
            },
        )
    values = read(rep, order_id)
    assert (values["state"], values["approval_state"]) == ("draft", "to_approve")
    # A duplicate starts without approval and asks again.
    (copy_id,) = rep.call("sale.order", "copy", [order_id])
    assert read(rep, copy_id)["approval_state"] == "none"
    with pytest.raises(xmlrpc.client.Fault, match="exceed the salesperson's authority"):
        rep.call("sale.order", "write", [copy_id], {"state": "sale"})
    rep.call("sale.order", "action_confirm", [copy_id])
    assert read(rep, copy_id)["approval_state"] == "to_approve"


def test_approve_then_confirm_then_cannot_raise(odoo_prefork_server, org):
    rep = odoo_prefork_server.client(org["rep_login"])
    um = odoo_prefork_server.client(org["um_login"])
    order_id = new_quotation(rep, org, 150)
    rep.call("sale.order", "action_confirm", [order_id])
    assert um.call("sale.order", "action_approval_approve", [order_id]) is True
    assert read(rep, order_id)["approval_state"] == "approved"
    rep.call("sale.order", "action_confirm", [order_id])
    assert read(rep, order_id)["state"] == "sale"
    line_ids = rep.call("sale.order.line", "search", [("order_id", "=", order_id)])
    with pytest.raises(xmlrpc.client.Fault, match="above the approved amount"):
        rep.call("sale.order.line", "write", line_ids, {"product_uom_qty": 400})
    assert read(rep, order_id)["amount_untaxed"] == 150000.0


def test_reject_with_reason(odoo_prefork_server, org):
    rep = odoo_prefork_server.client(org["rep_login"])
    rm = odoo_prefork_server.client(org["rm_a1_login"])
    order_id = new_quotation(rep, org, 250)
    rep.call("sale.order", "action_confirm", [order_id])
    wizard = rm.call("sale.order", "action_approval_reject", [order_id])
    assert wizard["res_model"] == "sales.approval.reject"
    assert rm.call("sale.order", "action_approval_reject", [order_id], reason="Margin too low") is True
    values = read(rep, order_id)
    assert (values["state"], values["approval_state"], values["approval_reason"]) == (
        "draft",
        "rejected",
        "Margin too low",
    )
    messages = rep.call(
        "mail.message", "search_read", [("model", "=", "sale.order"), ("res_id", "=", order_id)], ["body"]
    )
    assert any("Margin too low" in m["body"] for m in messages)


def test_sibling_leader_cannot_approve(odoo_prefork_server, org):
    order_id = create_order(org, "rep", "u", 150000)
    rep = odoo_prefork_server.client(org["rep_login"])
    rep.call("sale.order", "action_confirm", [order_id])
    for intruder in ("rm_a2", "mm_b", "rep2"):
        client = odoo_prefork_server.client(org[f"{intruder}_login"])
        with pytest.raises(xmlrpc.client.Fault):
            client.call("sale.order", "action_approval_approve", [order_id])
    assert read(rep, order_id)["approval_state"] == "to_approve"
