"""Pay over XML-RPC against the prefork server: payroll computes a month, a rep
reads his own pay lines and never another rep's, only HR approves, the snapshot
refuses a new computation, and bad input (a negative standard pay, overlapping
effective dates, a rule naming an unknown KPI) is refused with a clear fault,
nothing written."""

import base64
import uuid
import xmlrpc.client
from datetime import date

import pytest

from odoo import Command
from odoo.tests import new_test_user

from conftest import committed_env

MONTH = "2045-06"
DOCS_MONTH = "2045-07"


@pytest.fixture(scope="module")
def pay_rpc_data():
    """A company of its own: an HR manager, a payroll user, a unit leader and two
    reps of one role (standard pay 10,000, a default scorecard template of two
    rubric items), the renewal team's daily calls rule for the role, and the
    locked scorecards of two months (daily work 75: 30 + 45 of 100 points)."""
    tag = uuid.uuid4().hex[:6]
    with committed_env() as env:
        company = env["res.company"].create({"name": f"Pay RPC Company {tag}"})
        salesman = "sales_team.group_sale_salesman"
        groups = {
            "hr": f"{salesman},hr.group_hr_manager",
            "payroll": f"{salesman},sales_kpi.group_sales_kpi_payroll",
            "leader": f"{salesman},sales_team_mgmt.group_sales_team_mgmt_hierarchy",
            "rep": salesman,
            "rep2": salesman,
        }
        logins = {key: f"pay_rpc_{tag}_{key}" for key in groups}
        users = {
            key: new_test_user(
                env, login=login, groups=groups[key], company_id=company.id, company_ids=[Command.set(company.ids)]
            )
            for key, login in logins.items()
        }
        cenv = env(context=dict(env.context, allowed_company_ids=company.ids))
        Team = cenv["crm.team"].with_context(default_company_id=company.id)
        unit = Team.create({"name": f"Pay RPC Unit {tag}", "team_type": "unit", "user_id": users["leader"].id})
        role = cenv["sales.role"].create({"name": f"Pay RPC Rep {tag}", "code": f"PAYRPC-{tag}"})
        cenv["sales.scorecard.template"].create(
            {
                "name": f"Pay RPC Rep {tag}",
                "role_id": role.id,
                "is_default": True,
                "company_id": company.id,
                "daily_work_weight": 70,
                "attendance_weight": 30,
                "line_ids": [
                    Command.create({"line_type": "rubric", "name": "Weekly report", "points": 40}),
                    Command.create({"line_type": "rubric", "name": "Dealer management", "points": 60}),
                ],
            }
        )
        for key in ("rep", "rep2"):
            cenv["crm.team.member"].create(
                {"crm_team_id": unit.id, "user_id": users[key].id, "role_id": role.id, "date_start": date(2045, 1, 1)}
            )
        cenv["sales.pay.standard"].create(
            {"role_id": role.id, "amount": 10000, "date_from": date(2045, 1, 1), "company_id": company.id}
        )
        cenv["sales.incentive.rule"].create(
            {
                "name": "Fewer than 30 calls or 50 call minutes on a working day",
                "company_id": company.id,
                "role_ids": [Command.set(role.ids)],
                "period": "day",
                "measure": "calls",
                "operator": "<",
                "threshold": 30,
                "measure2": "call_minutes",
                "threshold2": 50,
                "amount": -50,
            }
        )
        Scorecard = cenv["sales.scorecard"].sudo()
        for month in (MONTH, DOCS_MONTH):
            result = Scorecard._sales_generate(company, date.fromisoformat(f"{month}-01"))
            cards = Scorecard.browse(result["scorecard_ids"])
            for card in cards:
                weekly, dealers = card.rubric_line_ids
                weekly.rubric_score, dealers.rubric_score = 30, 45
            cards.write({"state": "approved"})
        ids = {key: user.id for key, user in users.items()}
    return {"tag": tag, "logins": logins, "ids": ids, "company_id": company.id, "role_id": role.id}


def test_pay_over_xmlrpc(odoo_prefork_server, pay_rpc_data):
    data = pay_rpc_data
    payroll = odoo_prefork_server.client(data["logins"]["payroll"])
    hr = odoo_prefork_server.client(data["logins"]["hr"])
    rep = odoo_prefork_server.client(data["logins"]["rep"])
    rep2 = odoo_prefork_server.client(data["logins"]["rep2"])
    assert rep2.call("sales.pay.line", "search_count", [("user_id", "=", data["ids"]["rep"])]) == 0
    leader = odoo_prefork_server.client(data["logins"]["leader"])
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rep.call("sales.pay.run", "compute_month", MONTH, data["company_id"])
    assert "Only HR and payroll" in fault.value.faultString
    result = payroll.call("sales.pay.run", "compute_month", MONTH, data["company_id"])
    assert result["members"] == 2
    assert payroll.call("sales.pay.run", "compute_month", MONTH, data["company_id"]) == result
    fields = ["user_id", "line_type", "amount", "name"]
    own = rep.call("sales.pay.line", "search_read", [("month", "=", f"{MONTH}-01")], fields)
    assert own and {line["user_id"][0] for line in own} == {data["ids"]["rep"]}
    amounts = {line["line_type"]: line["amount"] for line in own}
    # 5,000 base + 0 completion (no completion line) + 10,000 x 15 % x 75 % and 22 working days x -50.
    assert amounts == {"base": 5000, "completion": 0, "work": 1125, "fine": -1100}
    other = [
        line["id"]
        for line in payroll.call("sales.pay.line", "search_read", [("user_id", "=", data["ids"]["rep2"])], ["id"])
    ]
    assert rep.call("sales.pay.line", "search_read", [("id", "in", other)], ["amount"]) == []
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rep.call("sales.pay.line", "read", other, ["amount"])
    assert fault.value.faultCode == 4
    # The leader reads his unit's totals, not his members' lines.
    totals = leader.call(
        "sales.pay.team.report", "read_group", [("month", "=", f"{MONTH}-01")], ["amount:sum"], ["team_id"], lazy=False
    )
    assert totals[0]["amount"] == 2 * (5000 + 1125 - 1100)
    assert leader.call("sales.pay.line", "search_read", [("id", "in", other)], ["amount"]) == []
    # Only HR approves.
    payroll.call("sales.pay.run", "action_submit", [result["run_id"]])
    for client in (payroll, rep, leader):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            client.call("sales.pay.run", "action_approval_approve", [result["run_id"]])
        assert fault.value.faultCode == 4
    hr.call("sales.pay.run", "action_approval_approve", [result["run_id"]])
    [run] = hr.call("sales.pay.run", "read", [result["run_id"]], ["state", "hr_approver_id"])
    assert run["state"] == "approved" and run["hr_approver_id"][0] == data["ids"]["hr"]
    with pytest.raises(xmlrpc.client.Fault) as fault:
        payroll.call("sales.pay.run", "compute_month", MONTH, data["company_id"])
    assert "snapshot" in fault.value.faultString
    export = payroll.call("sales.pay.run", "export_payroll", [result["run_id"]], "csv")
    assert data["logins"]["rep"] in base64.b64decode(export["content"]).decode("utf-8-sig")


def test_pay_bad_input_over_xmlrpc(odoo_prefork_server, pay_rpc_data):
    data = pay_rpc_data
    hr = odoo_prefork_server.client(data["logins"]["hr"])
    count = hr.call("sales.pay.standard", "search_count", [])
    cases = [
        ({"role_id": data["role_id"], "amount": -5, "date_from": "2046-01-01"}, "Standard Pay: -5 is negative"),
        ({"role_id": data["role_id"], "amount": 12000, "date_from": "2045-09-01"}, "overlaps"),
    ]
    for values, message in cases:
        with pytest.raises(xmlrpc.client.Fault) as fault:
            hr.call("sales.pay.standard", "create", dict(values, company_id=data["company_id"]))
        assert message in fault.value.faultString
    assert hr.call("sales.pay.standard", "search_count", []) == count
    rules = hr.call("sales.incentive.rule", "search_count", [])
    for values in ({"measure": "kpi", "kpi_id": 987654321}, {"measure": "kpi"}):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            hr.call("sales.incentive.rule", "create", dict(values, name="Bad", amount=-10))
        assert "KPI" in fault.value.faultString
    assert hr.call("sales.incentive.rule", "search_count", []) == rules
