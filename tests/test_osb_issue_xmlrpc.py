"""The OSB issue log and the replenishment record over XML-RPC against the real
(prefork) server: a CSR or a salesperson cannot move or resolve someone else's
issue (nothing is written), and the docs example runs."""

import uuid
import xmlrpc.client
from datetime import datetime, time, timedelta

import pytest

from odoo import Command, fields
from odoo.tests import new_test_user

from conftest import committed_env, run_docs_example


@pytest.fixture(scope="module")
def issue_setup():
    tag = uuid.uuid4().hex[:6]
    with committed_env() as env:

        def user(role, groups):
            login = f"osb_il_{role}_{tag}"
            return new_test_user(env, login=login, groups=groups, name=login)

        users = {
            "leader": user("leader", "osb_credit.group_osb_ssg_leader,sales_team.group_sale_salesman_all_leads"),
            "owner": user("owner", "osb_credit.group_osb_csr"),
            "csr": user("csr", "osb_credit.group_osb_csr"),
            "rep": user("rep", "sales_team.group_sale_salesman"),
        }
        customer = env["res.partner"].create(
            {
                "name": f"OSB IL Customer {tag}",
                "is_company": True,
                "credit_limit": 1000000.0,
                "property_payment_term_id": env.ref("account.account_payment_term_immediate").id,
                "user_id": users["rep"].id,
                "osb_slt_user_id": users["leader"].id,
                "osb_credit_grade": "A",
            }
        )
        product = env["product.product"].create(
            {"name": f"OSB IL goods {tag}", "type": "consu", "list_price": 10.0, "taxes_id": [Command.clear()]}
        )
        today = fields.Date.context_today(env["osb.replenishment"])
        # two confirmed orders, 40 and 10 days ago: one interval of 30 days
        for days_ago, qty in ((40, 4), (10, 6)):
            order = env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "user_id": users["rep"].id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
                }
            )
            order.action_confirm()
            assert order.state == "sale", order.credit_hold_message
            order.date_order = datetime.combine(today - timedelta(days=days_ago), time(12, 0))
        issue = env["osb.issue"].create(
            {
                "title": f"OSB IL issue {tag}",
                "department_id": env.ref("osb_credit.osb_issue_department_logistics").id,
                "owner_id": users["owner"].id,
                "resolution": "Carrier replaced",
            }
        )
        setup = {
            "logins": {key: value.login for key, value in users.items()},
            "customer_id": customer.id,
            "issue_id": issue.id,
            "today": today,
        }
    return setup


def test_someone_else_cannot_move_or_resolve_an_issue(odoo_prefork_server, issue_setup):
    issue_id = issue_setup["issue_id"]
    fields_read = ["state", "progress", "resolution", "resolved_by_id", "message_ids"]
    leader = odoo_prefork_server.client(issue_setup["logins"]["leader"])
    before = leader.call("osb.issue", "read", [issue_id], fields_read)[0]
    for role in ("csr", "rep"):
        client = odoo_prefork_server.client(issue_setup["logins"][role])
        # everyone of the company reads it
        assert client.call("osb.issue", "read", [issue_id], ["state"])[0]["state"] == "open"
        for method in ("action_resolve", "action_start"):
            with pytest.raises(xmlrpc.client.Fault) as fault:
                client.call("osb.issue", method, [issue_id])
            assert fault.value.faultCode == 4, fault.value.faultString  # access denied
        with pytest.raises(xmlrpc.client.Fault, match="Only the SSG leader cancels or reopens"):
            client.call("osb.issue", "action_cancel", [issue_id])
        with pytest.raises(xmlrpc.client.Fault) as fault:
            client.call("osb.issue", "write", [issue_id], {"progress": "mine", "resolution": "mine"})
        assert fault.value.faultCode == 4
        with pytest.raises(xmlrpc.client.Fault, match="changes through its buttons"):
            client.call("osb.issue", "write", [issue_id], {"state": "resolved"})
    assert leader.call("osb.issue", "read", [issue_id], fields_read)[0] == before
    # an issue without owner is refused naming the field, and nothing is created
    count = leader.call("osb.issue", "search_count", [])
    with pytest.raises(xmlrpc.client.Fault, match="Owner: an OSB issue needs its owner"):
        leader.call("osb.issue", "create", {"title": "No owner", "department_id": 1})
    assert leader.call("osb.issue", "search_count", []) == count
    # its owner resolves it
    owner = odoo_prefork_server.client(issue_setup["logins"]["owner"])
    assert owner.call("osb.issue", "action_resolve", [issue_id]) is True
    assert leader.call("osb.issue", "read", [issue_id], ["state"])[0]["state"] == "resolved"


def test_docs_example_runs(odoo_prefork_server, issue_setup):
    owner = issue_setup["logins"]["owner"]
    proc = run_docs_example(
        "osb_credit.md",
        odoo_prefork_server,
        issue_setup["logins"]["leader"],
        example="osb_issue_log",
        OSB_OWNER_LOGIN=owner,
        OSB_OWNER_PASSWORD=owner,
        OSB_CUSTOMER_ID=issue_setup["customer_id"],
    )
    out = proc.stdout
    assert f"raised: OSB/{issue_setup['today'].year}/" in out, out
    assert "refused: Resolution: say what was done before resolving the issue" in out, out
    assert f"resolved: resolved by {owner}" in out, out
    assert "refused: Due Date: the SSG leader changes these on an issue" in out, out
    expected = issue_setup["today"] - timedelta(days=10) + timedelta(days=30)
    assert f"replenishment: 2 orders, last {issue_setup['today'] - timedelta(days=10)} intervals 30 " in out, out
    assert f"average 30.0 expected {expected} on time" in out, out
    assert "product: OSB IL goods" in out and " 10.0 Units" in out, out
