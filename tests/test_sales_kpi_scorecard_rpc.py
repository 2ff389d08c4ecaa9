"""Scorecards over XML-RPC against the prefork server: the monthly run, a rubric
scored by the leader, the review chain step by step (a wrong user refused), the
lock (a write after it refused and nothing written) and a rep who cannot read
another rep's scorecard."""

import uuid
import xmlrpc.client

import pytest

from odoo import Command
from odoo.tests import new_test_user

from conftest import committed_env

MONTH = "2045-03"


@pytest.fixture(scope="module")
def scorecard_rpc_data():
    """Committed data in a company of its own (new for each session, so that the
    monthly run scores these members only): a KPI manager who is also the sales
    VP (leader of the SLT team) and an HR manager, a unit leader, two reps of the
    unit, a role whose template is daily work (rubric of 40 + 60 points) x 70 % +
    attendance x 30 %."""
    tag = uuid.uuid4().hex[:6]
    with committed_env() as env:
        company = env["res.company"].create({"name": f"SC RPC Company {tag}"})
        salesman = "sales_team.group_sale_salesman"
        groups = {
            "planner": f"{salesman},sales_kpi.group_sales_kpi_manager,hr.group_hr_manager",
            "leader": f"{salesman},sales_team_mgmt.group_sales_team_mgmt_hierarchy",
            "rep": salesman,
            "rep2": salesman,
        }
        logins = {key: f"sc_rpc_{tag}_{key}" for key in groups}
        users = {
            key: new_test_user(
                env, login=login, groups=groups[key], company_id=company.id, company_ids=[Command.set(company.ids)]
            )
            for key, login in logins.items()
        }
        cenv = env(context=dict(env.context, allowed_company_ids=company.ids))
        Team = cenv["crm.team"].with_context(default_company_id=company.id)
        Team.create({"name": f"SC RPC SLT {tag}", "team_type": "slt", "user_id": users["planner"].id})
        market = Team.create({"name": f"SC RPC Market {tag}", "team_type": "market", "user_id": users["leader"].id})
        unit = Team.create(
            {"name": f"SC RPC Unit {tag}", "team_type": "unit", "parent_id": market.id, "user_id": users["leader"].id}
        )
        role = cenv["sales.role"].create({"name": f"SC RPC Rep {tag}", "code": f"SCRPC-{tag}"})
        cenv["sales.scorecard.template"].create(
            {
                "name": f"SC RPC Rep {tag}",
                "role_id": role.id,
                "is_default": True,
                "daily_work_weight": 70,
                "attendance_weight": 30,
                "line_ids": [
                    Command.create({"line_type": "rubric", "name": "Weekly report", "points": 40}),
                    Command.create({"line_type": "rubric", "name": "Dealer management", "points": 60}),
                ],
            }
        )
        for key in ("rep", "rep2"):
            cenv["crm.team.member"].create({"crm_team_id": unit.id, "user_id": users[key].id, "role_id": role.id})
        ids = {key: user.id for key, user in users.items()}
    return {"tag": tag, "logins": logins, "ids": ids, "unit_id": unit.id, "market_id": market.id}


def _card(client, user_id):
    return client.call(
        "sales.scorecard",
        "search_read",
        [("user_id", "=", user_id), ("month", "=", f"{MONTH}-01")],
        ["score", "state", "approval_step", "rubric_line_ids", "note", "rank_team"],
    )


def test_scorecard_chain_over_xmlrpc(odoo_prefork_server, scorecard_rpc_data):
    data = scorecard_rpc_data
    planner = odoo_prefork_server.client(data["logins"]["planner"])
    leader = odoo_prefork_server.client(data["logins"]["leader"])
    rep = odoo_prefork_server.client(data["logins"]["rep"])
    rep2 = odoo_prefork_server.client(data["logins"]["rep2"])
    # Only KPI managers run the month.
    with pytest.raises(xmlrpc.client.Fault) as fault:
        leader.call("sales.scorecard", "generate_month", MONTH)
    assert "Only KPI managers generate" in fault.value.faultString
    result = planner.call("sales.scorecard", "generate_month", MONTH)
    assert result["created"] == 2  # the two reps (the leaders are not members)
    again = planner.call("sales.scorecard", "generate_month", MONTH)
    assert again["created"] == 0 and sorted(again["scorecard_ids"]) == sorted(result["scorecard_ids"])
    [card] = _card(leader, data["ids"]["rep"])
    # attendance 100 (no employee) x 30 %, nothing scored yet
    assert card["score"] == 30.0 and card["state"] == "draft"
    # A rep reads his own scorecard, never another rep's.
    assert [c["id"] for c in _card(rep, data["ids"]["rep"])] == [card["id"]]
    assert _card(rep2, data["ids"]["rep"]) == []
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rep2.call("sales.scorecard", "read", [card["id"]], ["score"])
    assert fault.value.faultCode == 4
    # The leader scores the rubric: above the item's points is refused, naming it.
    weekly, dealers = card["rubric_line_ids"]
    with pytest.raises(xmlrpc.client.Fault) as fault:
        leader.call("sales.scorecard.line", "write", [weekly], {"rubric_score": 41})
    assert "Weekly report must be from 0 to its 40 points, not 41" in fault.value.faultString
    leader.call("sales.scorecard.line", "write", [weekly], {"rubric_score": 30})
    leader.call("sales.scorecard.line", "write", [dealers], {"rubric_score": 45})
    [card] = _card(leader, data["ids"]["rep"])
    assert card["score"] == 82.5  # (30 + 45) x 70 % + 100 x 30 %
    # The chain: the leader, then sales planning, the VP and HR.
    leader.call("sales.scorecard", "action_submit", [card["id"]])
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rep2.call("sales.scorecard", "action_approval_approve", [card["id"]])
    assert fault.value.faultCode == 4
    leader.call("sales.scorecard", "action_approval_approve", [card["id"]])
    assert _card(leader, data["ids"]["rep"])[0]["approval_step"] == "planning"
    with pytest.raises(xmlrpc.client.Fault):
        leader.call("sales.scorecard", "action_approval_approve", [card["id"]])
    # The planner is also the VP and an HR manager: he gives the three steps at once.
    planner.call("sales.scorecard", "action_approval_approve", [card["id"]])
    [card] = _card(planner, data["ids"]["rep"])
    assert card["state"] == "approved"
    # Locked: nothing is written, over XML-RPC too.
    for client, model, record, values in (
        (leader, "sales.scorecard.line", weekly, {"rubric_score": 10}),
        (planner, "sales.scorecard", card["id"], {"note": "later"}),
    ):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            client.call(model, "write", [record], values)
        assert "approved and locked" in fault.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as fault:
        planner.call("sales.scorecard", "action_recompute", [card["id"]])
    assert "approved and locked" in fault.value.faultString
    [after] = _card(planner, data["ids"]["rep"])
    assert after["score"] == 82.5 and not after["note"]
    lines = planner.call("sales.scorecard.line", "read", [weekly], ["rubric_score"])
    assert lines[0]["rubric_score"] == 30.0
    assert planner.call("sales.scorecard", "generate_month", MONTH)["locked"] >= 1
