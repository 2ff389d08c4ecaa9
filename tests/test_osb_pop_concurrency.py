"""osb_credit: concurrent POP issue requests can never together over-commit a POP budget.

A customer has a POP budget with room for exactly 3 of 8 issues (8 issues of one
poster at 10.00, a budget of 30.00); 8 XML-RPC clients of the rep request them
at the same time against the real server in prefork mode, each in its own
transaction: exactly 3 are requested (committed), the 5 others are refused with
the budget's figures and stay drafts, and the budget's committed amount is its
budget, never more. Four rounds, and no serialisation failure or deadlock in the
server's log."""

import threading
import uuid
import xmlrpc.client

import pytest

from odoo import Command
from odoo.tests import new_test_user

from conftest import committed_env, server_errors

ISSUES = 8
ROOM = 3
COST = 10.0
ROUNDS = 4


@pytest.fixture(scope="module")
def pop_conc_setup(odoo_prefork_server):
    tag = uuid.uuid4().hex[:6]
    with committed_env() as env:
        rep = new_test_user(
            env, login=f"osb_pop_conc_{tag}", groups="sales_team.group_sale_salesman", name="POP Concurrency"
        )
        poster = env["product.product"].create(
            {"name": f"POP concurrency poster {tag}", "type": "consu", "osb_pop": True, "standard_price": COST}
        )
        return {"tag": tag, "login": rep.login, "user_id": rep.id, "product_id": poster.id}


def _make_round(setup, index):
    with committed_env() as env:
        customer = env["res.partner"].create(
            {"name": f"POP Concurrency Shop {setup['tag']} {index}", "is_company": True, "user_id": setup["user_id"]}
        )
        today = env["osb.pop.budget"]._fields["date_from"].context_today(env["osb.pop.budget"])
        budget = env["osb.pop.budget"].create(
            {
                "holder_type": "customer",
                "partner_id": customer.id,
                "date_from": today.replace(day=1),
                "date_to": today.replace(day=28) if today.day <= 28 else today,
                "amount": ROOM * COST,
            }
        )
        issues = (
            env["osb.pop.issue"]
            .with_user(setup["user_id"])
            .create(
                [
                    {
                        "holder_type": "customer",
                        "partner_id": customer.id,
                        "line_ids": [Command.create({"product_id": setup["product_id"], "quantity": 1})],
                    }
                    for _i in range(ISSUES)
                ]
            )
        )
        return budget.id, issues.ids


def _request_in_parallel(server, login, issue_ids):
    """Request each issue from its own client, all at once; returns the faults
    (issue id: text) and the server's log lines written meanwhile."""
    client = server.client(login)
    clients = [client.clone() for _i in issue_ids]
    barrier = threading.Barrier(len(issue_ids))
    faults = {}

    def request(client, issue_id):
        barrier.wait()
        try:
            client.call("osb.pop.issue", "action_request", [issue_id])
        except xmlrpc.client.Fault as fault:
            faults[issue_id] = fault.faultString

    mark = server.log_mark()
    threads = [threading.Thread(target=request, args=(c, i)) for c, i in zip(clients, issue_ids, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return faults, server.log_since(mark)


@pytest.mark.parametrize("round_index", range(ROUNDS))
def test_parallel_requests_never_over_commit_the_budget(odoo_prefork_server, pop_conc_setup, round_index):
    budget_id, issue_ids = _make_round(pop_conc_setup, round_index)
    faults, log = _request_in_parallel(odoo_prefork_server, pop_conc_setup["login"], issue_ids)
    assert not server_errors(log), server_errors(log)[:20]
    assert len(faults) == ISSUES - ROOM, faults
    for text in faults.values():
        assert "Budget: " in text and "more than the" in text and "remaining on" in text, text[-500:]
        assert "Traceback" not in text, text[-500:]
    with committed_env() as env:
        issues = env["osb.pop.issue"].browse(issue_ids)
        states = issues.mapped("state")
        assert states.count("requested") == ROOM, states
        assert states.count("draft") == ISSUES - ROOM, states
        requested = issues.filtered(lambda i: i.state == "requested")
        assert set(requested.ids).isdisjoint(faults)
        assert all(issue.picking_id for issue in requested)
        assert not any(issue.picking_id for issue in issues - requested)
        budget = env["osb.pop.budget"].browse(budget_id)
        assert budget.committed == pytest.approx(ROOM * COST)
        assert budget.remaining == pytest.approx(0.0)
        assert budget.committed <= budget.budget
