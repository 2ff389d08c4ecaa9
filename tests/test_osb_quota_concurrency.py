"""osb_credit: concurrent confirmations can never together exceed a quota allocation.

A team has an allocation with room for exactly 3 of 10 orders of a scarce
product; the 10 orders are of 10 different customers (so that the credit check,
which serialises per customer, does not serialise them: only the quota lock
does); 10 XML-RPC clients confirm them at the same time against a real server in
prefork mode: exactly 3 confirm, 7 are held by the quota, and the allocation's
use stays within it. Five rounds, and no serialisation failure in the log."""

import pytest
from test_osb_credit_concurrency import conc_setup, confirm_in_parallel  # noqa: F401 (fixture)

from odoo import Command

from conftest import committed_env, server_errors

ORDERS = 10
ROOM = 3
ROUNDS = 5


def _make_round(setup, index):
    with committed_env() as env:
        term = env.ref("account.account_payment_term_immediate")
        team = env["crm.team"].create({"name": f"Quota Concurrency Market {index}", "team_type": "market"})
        region = env["crm.team"].create(
            {"name": f"Quota Concurrency Region {index}", "team_type": "region", "parent_id": team.id}
        )
        product = env["product.product"].create(
            {
                "name": f"Quota concurrency scarce {index}",
                "type": "consu",
                "list_price": 10.0,
                "taxes_id": [Command.clear()],
            }
        )
        today = env["osb.quota"]._fields["date_from"].context_today(env["osb.quota"])
        quota = env["osb.quota"].create(
            {
                "holder_type": "team",
                "holder_team_id": team.id,
                "product_id": product.id,
                "date_from": today.replace(day=1),
                "date_to": today.replace(day=28) if today.day <= 28 else today,
                "quantity": ROOM,
            }
        )
        customers = env["res.partner"].create(
            [
                {
                    "name": f"Quota Concurrency Customer {index}-{i}",
                    "is_company": True,
                    "credit_limit": 1000000.0,
                    "property_payment_term_id": term.id,
                    "user_id": setup["user_id"],
                    "osb_slt_user_id": setup["user_id"],
                    "osb_credit_grade": "A",
                }
                for i in range(ORDERS)
            ]
        )
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "user_id": setup["user_id"],
                    "team_id": region.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": 10})],
                }
                for customer in customers
            ]
        )
        return quota.id, orders.ids


@pytest.mark.parametrize("round_index", range(ROUNDS))
def test_parallel_confirmations_never_exceed_the_allocation(odoo_prefork_server, conc_setup, round_index):  # noqa: F811
    quota_id, order_ids = _make_round(conc_setup, round_index)
    errors, log = confirm_in_parallel(odoo_prefork_server, order_ids)
    assert not errors, errors
    assert not server_errors(log), server_errors(log)[:20]
    with committed_env() as env:
        orders = env["sale.order"].browse(order_ids)
        states = orders.mapped("state")
        assert states.count("sale") == ROOM, states
        held = orders.filtered("osb_quota_hold")
        assert len(held) == ORDERS - ROOM
        assert set(held.mapped("state")) == {"draft"}
        assert all(
            "allocated 3.00, used 3.00, requested 1.00, available 0.00." in m
            for m in held.mapped("osb_quota_hold_message")
        )
        quota = env["osb.quota"].browse(quota_id)
        assert quota.used == pytest.approx(ROOM)
        assert quota.available == pytest.approx(0.0)
