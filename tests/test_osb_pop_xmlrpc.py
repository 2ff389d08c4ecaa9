"""POP materials over XML-RPC against the real (prefork) server: bad input refused
naming the field with nothing written, a salesperson cannot read another's issue,
and the docs example of docs/osb_credit.md runs."""

import uuid
import xmlrpc.client
from datetime import date, timedelta

import pytest

from odoo import Command
from odoo.tests import new_test_user

from conftest import committed_env, run_docs_example

DOCS_LOGIN = "osb_pop_docs_ssg"


@pytest.fixture(scope="module")
def pop_setup(odoo_prefork_server):
    tag = uuid.uuid4().hex[:6]
    with committed_env() as env:

        def user(role, groups):
            login = f"osb_pop_{role}_{tag}"
            return new_test_user(env, login=login, groups=groups, name=login)

        users = {
            "ssg": user("ssg", "osb_credit.group_osb_ssg_leader,sales_team.group_sale_salesman_all_leads"),
            "rep": user("rep", "sales_team.group_sale_salesman"),
            "rep2": user("rep2", "sales_team.group_sale_salesman"),
        }
        customer = env["res.partner"].create(
            {"name": f"POP RPC Shop {tag}", "is_company": True, "user_id": users["rep"].id}
        )
        pop = env["product.product"].create({"name": f"POP RPC poster {tag}", "osb_pop": True, "standard_price": 5.0})
        wine = env["product.product"].create({"name": f"POP RPC wine {tag}", "standard_price": 5.0})
        issue = (
            env["osb.pop.issue"]
            .with_user(users["rep"])
            .create(
                {
                    "holder_type": "customer",
                    "partner_id": customer.id,
                    "line_ids": [Command.create({"product_id": pop.id, "quantity": 2})],
                }
            )
        )
        return {
            "logins": {role: u.login for role, u in users.items()},
            "customer_id": customer.id,
            "pop_id": pop.id,
            "wine_id": wine.id,
            "issue_id": issue.id,
        }


def test_bad_input_refused_nothing_written(odoo_prefork_server, pop_setup):
    ssg = odoo_prefork_server.client(pop_setup["logins"]["ssg"])
    rep = odoo_prefork_server.client(pop_setup["logins"]["rep"])
    first = date.today().replace(day=1)
    valid = {
        "holder_type": "customer",
        "partner_id": pop_setup["customer_id"],
        "date_from": str(first),
        "date_to": str(first + timedelta(days=27)),
        "amount": 100.0,
    }
    budgets = ssg.call("osb.pop.budget", "search_count", [])
    for values, message in (
        ({"amount": -1.0}, "Allocated Amount"),
        ({"date_from": False, "date_to": False}, "date_from"),
        ({"date_to": str(first - timedelta(days=1))}, "Period"),
    ):
        with pytest.raises(xmlrpc.client.Fault, match=message):
            ssg.call("osb.pop.budget", "create", dict(valid, **values))
    assert ssg.call("osb.pop.budget", "search_count", []) == budgets
    # a salesperson does not budget
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rep.call("osb.pop.budget", "create", valid)
    assert fault.value.faultCode == 4
    issues = rep.call("osb.pop.issue", "search_count", [])
    with pytest.raises(xmlrpc.client.Fault, match="Product: POP RPC wine .* is not a POP material"):
        rep.call(
            "osb.pop.issue",
            "create",
            {
                "holder_type": "customer",
                "partner_id": pop_setup["customer_id"],
                "line_ids": [(0, 0, {"product_id": pop_setup["wine_id"], "quantity": 1})],
            },
        )
    assert rep.call("osb.pop.issue", "search_count", []) == issues


def test_rep_cannot_read_another_reps_issue(odoo_prefork_server, pop_setup):
    rep = odoo_prefork_server.client(pop_setup["logins"]["rep"])
    rep2 = odoo_prefork_server.client(pop_setup["logins"]["rep2"])
    issue_id = pop_setup["issue_id"]
    assert rep.call("osb.pop.issue", "read", [issue_id], ["state"])[0]["state"] == "draft"
    assert rep2.call("osb.pop.issue", "search", [("id", "=", issue_id)]) == []
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rep2.call("osb.pop.issue", "read", [issue_id], ["state"])
    assert fault.value.faultCode == 4


def test_pop_docs_example_runs(odoo_prefork_server):
    tag = uuid.uuid4().hex[:6]
    with committed_env() as env:
        if not env["res.users"].search([("login", "=", DOCS_LOGIN)]):
            new_test_user(
                env,
                login=DOCS_LOGIN,
                groups="osb_credit.group_osb_ssg_leader,sales_team.group_sale_salesman_all_leads,"
                "stock.group_stock_user",
                name="POP Docs SSG Leader",
            )
        team = env["crm.team"].create({"name": f"POP Docs Market {tag}", "team_type": "market"})
        customer = env["res.partner"].create({"name": f"POP Docs Shop {tag}", "is_company": True})
        product = env["product.product"].create(
            {"name": f"POP docs display {tag}", "type": "consu", "osb_pop": True, "standard_price": 50.0}
        )
        ids = {"team": team.id, "customer": customer.id, "product": product.id}
    proc = run_docs_example(
        "osb_credit.md",
        odoo_prefork_server,
        DOCS_LOGIN,
        fence="python pop",
        POP_TEAM_ID=ids["team"],
        POP_CUSTOMER_ID=ids["customer"],
        POP_PRODUCT_ID=ids["product"],
    )
    out = proc.stdout
    assert "requested: requested 300.0 on budget True" in out, out
    assert "'budget': 500.0, 'committed': 300.0, 'spent': 0.0, 'remaining': 200.0" in out, out
    assert "after delivery: done" in out and "'committed': 0.0, 'spent': 300.0, 'remaining': 200.0" in out, out
    assert "refused: Budget: POP/" in out and "requests" in out and "(budget" in out, out
    assert "after transfer: requested" in out and "'budget': 600.0, 'committed': 300.0, 'spent': 300.0" in out, out
