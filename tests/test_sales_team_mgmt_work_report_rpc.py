"""Work reports over XML-RPC with real users against a real server: the rep
writes and submits, the unit leader scores and reviews, the others see what
the rules allow, and bad input is a clean fault with nothing written."""

import xmlrpc.client

import pytest
from sales_team_mgmt_fixtures import build_org

ACCESS = "AccessError|not allowed|top-secret|Access Denied"


@pytest.fixture(scope="module")
def org(odoo_server):
    return build_org()


def test_write_submit_score_review(odoo_server, org):
    rep = odoo_server.client(org["rep_login"])
    um = odoo_server.client(org["um_login"])
    report_id = rep.call(
        "sales.work.report",
        "create",
        {"report_type": "weekly", "date": "2026-11-18", "summary": "<p>Two key visits</p>", "plan": "<p>More</p>"},
    )
    [report] = rep.call("sales.work.report", "read", [report_id], ["date_from", "date_to", "state", "team_id"])
    assert (report["date_from"], report["date_to"], report["state"]) == ("2026-11-16", "2026-11-22", "draft")
    assert report["team_id"][0] == org["team_u_id"]
    # the same period again: a fault naming the existing report
    with pytest.raises(xmlrpc.client.Fault, match="already has the report Weekly Report 2026-W47"):
        rep.call("sales.work.report", "create", {"report_type": "weekly", "date": "2026-11-20"})
    # a report for another person
    with pytest.raises(xmlrpc.client.Fault, match="Author: you write your own work reports"):
        rep.call("sales.work.report", "create", {"report_type": "daily", "user_id": org["rep2_id"]})
    # the engine's fields are not the client's
    with pytest.raises(xmlrpc.client.Fault, match="set only through its Submit, Review and Return actions"):
        rep.call("sales.work.report", "write", [report_id], {"on_time": True})

    assert rep.call("sales.work.report", "action_submit", [report_id]) is True
    [report] = rep.call("sales.work.report", "read", [report_id], ["state", "approver_id", "score_ids", "on_time"])
    assert report["state"] == "submitted"
    assert report["approver_id"][0] == org["um_id"]
    assert report["on_time"] is False  # a week of 2026 submitted later
    scores = um.call("sales.work.report.score", "read", report["score_ids"], ["name", "points", "auto"])
    assert [s["points"] for s in scores] == [10.0, 10.0, 10.0, 10.0]
    summary = next(s for s in scores if s["name"] == "Last week's summary")

    with pytest.raises(xmlrpc.client.Fault, match="Last week's summary scores from 0 to 10.0, not 12.0"):
        um.call("sales.work.report", "write", [report_id], {"score_ids": [(1, summary["id"], {"score": 12})]})
    with pytest.raises(xmlrpc.client.Fault, match=r"Only the reviewer of .* scores it"):
        rep.call("sales.work.report.score", "write", [summary["id"]], {"score": 10})
    assert um.call("sales.work.report.score", "write", [summary["id"]], {"score": 9}) is True
    assert um.call("sales.work.report", "action_review", [report_id]) is True
    [report] = rep.call("sales.work.report", "read", [report_id], ["state", "score_total", "score_rate"])
    assert (report["state"], report["score_total"], report["score_rate"]) == ("reviewed", 9.0, 22.5)
    with pytest.raises(xmlrpc.client.Fault, match="cannot be edited"):
        rep.call("sales.work.report", "write", [report_id], {"summary": "<p>changed</p>"})
    org["report_id"] = report_id


def test_who_reads_the_report(odoo_server, org):
    report_id = org.get("report_id")
    if not report_id:
        pytest.skip("needs the report of test_write_submit_score_review")
    for key, sees in (("rep", True), ("um", True), ("rm_a1", True), ("mm_a", True), ("rep2", False), ("rm_a2", False)):
        client = odoo_server.client(org[f"{key}_login"])
        assert client.call("sales.work.report", "search", [("id", "=", report_id)]) == ([report_id] if sees else []), (
            key
        )
    with pytest.raises(xmlrpc.client.Fault, match=ACCESS):
        odoo_server.client(org["rep2_login"]).call("sales.work.report", "read", [report_id], ["summary"])


def test_return_for_rework(odoo_server, org):
    rep = odoo_server.client(org["rep_login"])
    um = odoo_server.client(org["um_login"])
    report_id = rep.call("sales.work.report", "create", {"report_type": "daily", "date": "2026-11-18"})
    rep.call("sales.work.report", "action_submit", [report_id])
    with pytest.raises(xmlrpc.client.Fault, match=r"You cannot review or return .*: it waits for STM um"):
        rep.call("sales.work.report", "action_return", [report_id], reason="myself")
    assert um.call("sales.work.report", "action_return", [report_id], reason="Name the customers.") is True
    [report] = rep.call("sales.work.report", "read", [report_id], ["state", "approval_state", "approval_reason"])
    assert report == {
        "id": report_id,
        "state": "draft",
        "approval_state": "rejected",
        "approval_reason": "Name the customers.",
    }
