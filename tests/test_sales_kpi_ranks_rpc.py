"""Ranks and promotions over XML-RPC against the prefork server: the monthly
evaluation, a rep who cannot read another rep's proposal, the approval (the
leader, then only HR), the rank history it writes, and bad ladders refused with
the field named and nothing written."""

import uuid
import xmlrpc.client

import pytest

from odoo import Command
from odoo.tests import new_test_user

from conftest import committed_env

MONTH = "2029-03"
ACCESS_FAULT = 4


@pytest.fixture(scope="module")
def rank_rpc_data():
    """Committed data in a company of its own (new for each session): an HR
    manager (who also evaluates), a unit leader, two reps of the unit holding REP
    since 2028; the ladder REP -> KAM (1,000 a month in 2 of 3 months, role KAM);
    rep sold 1,500 in January and March 2029, rep2 only in March (facts)."""
    tag = uuid.uuid4().hex[:6]
    with committed_env() as env:
        company = env["res.company"].create({"name": f"RK RPC Company {tag}"})
        salesman = "sales_team.group_sale_salesman"
        groups = {
            "hr": f"{salesman},hr.group_hr_manager",
            "leader": f"{salesman},sales_team_mgmt.group_sales_team_mgmt_hierarchy",
            "rep": salesman,
            "rep2": salesman,
        }
        logins = {key: f"rk_rpc_{tag}_{key}" for key in groups}
        users = {
            key: new_test_user(
                env, login=login, groups=groups[key], company_id=company.id, company_ids=[Command.set(company.ids)]
            )
            for key, login in logins.items()
        }
        cenv = env(context=dict(env.context, allowed_company_ids=company.ids))
        Team = cenv["crm.team"].with_context(default_company_id=company.id)
        unit = Team.create({"name": f"RK RPC Unit {tag}", "team_type": "unit", "user_id": users["leader"].id})
        role_rep = cenv["sales.role"].create({"name": "RK RPC Rep", "code": f"RKR-{tag}"})
        role_kam = cenv["sales.role"].create({"name": "RK RPC KAM", "code": f"RKK-{tag}"})
        ladder = cenv["sales.rank.ladder"].create({"name": f"RK RPC ladder {tag}"})
        rep_rank = cenv["sales.rank"].create(
            {"ladder_id": ladder.id, "sequence": 1, "code": "REP", "name": "Rep", "role_id": role_rep.id}
        )
        kam_rank = cenv["sales.rank"].create(
            {
                "ladder_id": ladder.id,
                "sequence": 2,
                "code": "KAM",
                "name": "KAM",
                "role_id": role_kam.id,
                "sales_threshold": 1000,
                "months_required": 2,
                "window_months": 3,
            }
        )
        for key in ("rep", "rep2"):
            member = cenv["crm.team.member"].create(
                {"crm_team_id": unit.id, "user_id": users[key].id, "role_id": role_rep.id, "date_start": "2028-01-01"}
            )
            cenv["sales.rank.history"].create(
                {
                    "user_id": users[key].id,
                    "rank_id": rep_rank.id,
                    "member_id": member.id,
                    "team_id": unit.id,
                    "date_start": "2028-01-01",
                }
            )
        # the facts and their salesperson roll-up, as the refresh writes them (a rebuild of
        # these months, from no documents, would empty them)
        for key, month in (("rep", "2029-01-01"), ("rep", "2029-03-01"), ("rep2", "2029-03-01")):
            for table in ("sales_kpi_fact", "sales_kpi_fact_user"):
                env.cr.execute(
                    f"INSERT INTO {table} (company_id, month, team_id, user_id, amount_sale) "  # noqa: S608
                    "VALUES (%s, %s, %s, %s, 1500)",
                    [company.id, month, unit.id, users[key].id],
                )
        ids = {key: user.id for key, user in users.items()}
        ids.update(company=company.id, ladder=ladder.id, rep_rank=rep_rank.id, kam_rank=kam_rank.id, unit=unit.id)
        ids.update(role_kam=role_kam.id)
    return {"tag": tag, "logins": logins, "ids": ids}


def _fault(call, *args):
    with pytest.raises(xmlrpc.client.Fault) as info:
        call(*args)
    return info.value


def test_promotion_over_xmlrpc(odoo_prefork_server, rank_rpc_data):
    data, ids = rank_rpc_data, rank_rpc_data["ids"]
    client = {key: odoo_prefork_server.client(login) for key, login in data["logins"].items()}
    hr, leader, rep, rep2 = client["hr"], client["leader"], client["rep"], client["rep2"]
    # only HR (and KPI managers) evaluate
    assert _fault(rep.call, "sales.promotion.proposal", "evaluate_month", MONTH).faultCode == ACCESS_FAULT
    result = hr.call("sales.promotion.proposal", "evaluate_month", MONTH)
    assert (result["evaluated"], result["proposed"]) == (2, 1)
    again = hr.call("sales.promotion.proposal", "evaluate_month", MONTH)
    assert (again["proposed"], again["updated"], again["proposal_ids"]) == (0, 0, result["proposal_ids"])
    [proposal] = rep.call(
        "sales.promotion.proposal",
        "search_read",
        [],
        ["user_id", "state", "approval_step", "months_met", "target_rank_id", "effective_date", "evidence_line_ids"],
    )
    assert proposal["user_id"][0] == ids["rep"]
    assert (proposal["months_met"], proposal["approval_step"], proposal["effective_date"]) == (
        2,
        "leader",
        "2029-04-01",
    )
    lines = rep.call("sales.promotion.evidence", "read", proposal["evidence_line_ids"], ["month", "amount", "met"])
    assert [(line["month"], line["amount"], line["met"]) for line in lines] == [
        ("2029-01-01", 1500.0, True),
        ("2029-02-01", 0.0, False),
        ("2029-03-01", 1500.0, True),
    ]
    # rep2 reads none: not rep's proposal (access fault), nor its evidence
    assert rep2.call("sales.promotion.proposal", "search", []) == []
    fault = _fault(rep2.call, "sales.promotion.proposal", "read", [proposal["id"]], ["months_met"])
    assert fault.faultCode == ACCESS_FAULT
    assert _fault(rep2.call, "sales.promotion.evidence", "read", lines[0]["id"], ["amount"]).faultCode == ACCESS_FAULT
    # the member cannot approve his own, nor write it
    assert _fault(rep.call, "sales.promotion.proposal", "action_approval_approve", [proposal["id"]]).faultCode == 4
    assert _fault(rep.call, "sales.promotion.proposal", "write", [proposal["id"]], {"note": "me"}).faultCode == 4
    # the leader, then only HR
    leader.call("sales.promotion.proposal", "action_approval_approve", [proposal["id"]])
    fault = _fault(leader.call, "sales.promotion.proposal", "action_approval_approve", [proposal["id"]])
    assert fault.faultCode == ACCESS_FAULT and "HR" in fault.faultString
    hr.call("sales.promotion.proposal", "action_approval_approve", [proposal["id"]])
    [done] = hr.call("sales.promotion.proposal", "read", [proposal["id"]], ["state", "new_history_id", "new_member_id"])
    assert done["state"] == "approved"
    history = rep.call(
        "sales.rank.history",
        "search_read",
        [("user_id", "=", ids["rep"])],
        ["rank_id", "date_start", "date_end"],
        order="date_start",
    )
    assert [(h["rank_id"][0], h["date_start"], h["date_end"]) for h in history] == [
        (ids["rep_rank"], "2028-01-01", "2029-03-31"),
        (ids["kam_rank"], "2029-04-01", False),
    ]
    [member] = hr.call("crm.team.member", "read", [done["new_member_id"][0]], ["role_id", "date_start"])
    assert (member["role_id"][0], member["date_start"]) == (ids["role_kam"], "2029-04-01")


def test_bad_ladder_input_over_xmlrpc(odoo_prefork_server, rank_rpc_data):
    data, ids = rank_rpc_data, rank_rpc_data["ids"]
    hr = odoo_prefork_server.client(data["logins"]["hr"])
    before = hr.call("sales.rank", "search_count", [])
    base = {"ladder_id": ids["ladder"], "code": "BAD", "name": "Bad"}
    for values, named in (
        ({"sales_threshold": -5}, "Monthly Sales Threshold cannot be negative"),
        ({"months_required": 4, "window_months": 3}, "Months Over Threshold (4) cannot exceed Window (Months) (3)"),
    ):
        fault = _fault(hr.call, "sales.rank", "create", dict(base, **values))
        assert fault.faultCode == 2 and named in fault.faultString, fault.faultString
    fault = _fault(hr.call, "sales.rank", "write", [ids["kam_rank"]], {"months_required": 9})
    assert "Months Over Threshold (9)" in fault.faultString
    assert hr.call("sales.rank", "search_count", []) == before
    assert hr.call("sales.rank", "read", [ids["kam_rank"]], ["months_required"])[0]["months_required"] == 2
    # a rank of another company's ladder
    with committed_env() as env:
        other = env["res.company"].create({"name": f"RK RPC Other {data['tag']}"})
        ladder = env["sales.rank.ladder"].create({"name": "RK RPC other", "company_id": other.id})
        other_rank = env["sales.rank"].create({"ladder_id": ladder.id, "code": "O", "name": "Other"}).id
    fault = _fault(
        hr.call,
        "sales.rank.history",
        "create",
        {"user_id": ids["rep2"], "rank_id": other_rank, "date_start": "2030-01-01"},
    )
    assert fault.faultCode in (2, 4) and "Rank" in fault.faultString, fault.faultString
    assert hr.call("sales.rank.history", "search_count", [("user_id", "=", ids["rep2"])]) == 1
