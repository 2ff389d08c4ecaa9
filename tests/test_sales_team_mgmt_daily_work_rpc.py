"""The daily work over XML-RPC with real users against a real server: who reads
which visits and complaints, and bad input refused with a clean fault naming
the field, nothing written."""

import re
import xmlrpc.client

import pytest
from sales_team_mgmt_fixtures import build_org

from conftest import committed_env


@pytest.fixture(scope="module")
def daily(odoo_server):
    org = build_org()
    rep = odoo_server.client(org["rep_login"])
    rep2 = odoo_server.client(org["rep2_login"])
    org["visit_rep"] = rep.call(
        "sales.visit", "create", {"partner_id": org["customer_id"], "team_id": org["team_u_id"]}
    )
    org["visit_rep2"] = rep2.call(
        "sales.visit", "create", {"partner_id": org["customer_id"], "team_id": org["team_a2_id"]}
    )
    with committed_env() as env:
        Complaint = env["sales.complaint"]
        for key, user, team in (("complaint_rep", "rep", "u"), ("complaint_rep2", "rep2", "a2")):
            org[key] = Complaint.create(
                {
                    "partner_id": org["customer_id"],
                    "user_id": org[f"{user}_id"],
                    "team_id": org[f"team_{team}_id"],
                    "category": "delivery",
                    "description": "late",
                }
            ).id
    return org


def seen(odoo_server, org, login_key, model, keys):
    client = odoo_server.client(org[f"{login_key}_login"])
    found = set(client.call(model, "search", [("id", "in", [org[key] for key in keys])]))
    return {key for key in keys if org[key] in found}


@pytest.mark.parametrize(
    ("login", "visits", "complaints"),
    [
        ("rep", {"visit_rep"}, {"complaint_rep"}),
        ("rep2", {"visit_rep2"}, {"complaint_rep2"}),
        ("um", {"visit_rep"}, {"complaint_rep"}),
        ("rm_a2", {"visit_rep2"}, {"complaint_rep2"}),
        ("mm_a", {"visit_rep", "visit_rep2"}, {"complaint_rep", "complaint_rep2"}),
        ("mm_b", set(), set()),
        ("org_manager", {"visit_rep", "visit_rep2"}, {"complaint_rep", "complaint_rep2"}),
    ],
)
def test_who_reads_which_visits_and_complaints(odoo_server, daily, login, visits, complaints):
    assert seen(odoo_server, daily, login, "sales.visit", ("visit_rep", "visit_rep2")) == visits
    assert seen(odoo_server, daily, login, "sales.complaint", ("complaint_rep", "complaint_rep2")) == complaints


def test_a_rep_cannot_read_another_reps_visit(odoo_server, daily):
    rep = odoo_server.client(daily["rep_login"])
    with pytest.raises(xmlrpc.client.Fault, match="AccessError|top-secret|not allowed"):
        rep.call("sales.visit", "read", [daily["visit_rep2"]], ["outcome"])
    with pytest.raises(xmlrpc.client.Fault, match="AccessError|top-secret|not allowed"):
        rep.call("sales.complaint", "read", [daily["complaint_rep2"]], ["description"])


@pytest.mark.parametrize(
    ("model", "values", "message"),
    [
        ("sales.visit", {"duration": -5}, r"Duration \(minutes\): -5 is negative"),
        (
            "sales.visit",
            {"planned_date": "2026-12-01 09:00:00", "done_date": "2026-11-01 09:00:00"},
            "Done: the visit of .* cannot be done on",
        ),
        ("sales.visit", {"state": "done"}, "changes through its buttons"),
        ("sales.complaint", {"category": "quality", "state": "resolved"}, "changes through its buttons"),
    ],
)
def test_bad_input_is_a_clean_fault_and_writes_nothing(odoo_server, daily, model, values, message):
    um = odoo_server.client(daily["um_login"])
    before = um.call(model, "search_count", [])
    vals = {"partner_id": daily["customer_id"], "team_id": daily["team_u_id"], **values}
    if model == "sales.complaint":
        vals.setdefault("description", "x")
        vals["user_id"] = daily["rep_id"]
    with pytest.raises(xmlrpc.client.Fault) as fault:
        um.call(model, "create", vals)
    text = fault.value.faultString
    assert re.search(message, text), text
    assert "psycopg2" not in text and "Traceback (most recent call last)" not in text.split("\n")[0]
    assert um.call(model, "search_count", []) == before


def test_resolving_without_resolution_is_refused_over_rpc(odoo_server, daily):
    um = odoo_server.client(daily["um_login"])
    complaint = daily["complaint_rep"]
    with pytest.raises(xmlrpc.client.Fault, match="Resolution: say what was done"):
        um.call("sales.complaint", "action_resolve", [complaint])
    assert um.call("sales.complaint", "read", [complaint], ["state"])[0]["state"] == "new"
    um.call("sales.complaint", "write", [complaint], {"resolution": "Re-delivered the next day."})
    um.call("sales.complaint", "action_resolve", [complaint])
    assert um.call("sales.complaint", "read", [complaint], ["state"])[0]["state"] == "resolved"
    # the rep concerned does not handle it
    rep = odoo_server.client(daily["rep_login"])
    with pytest.raises(xmlrpc.client.Fault, match="Only team leaders|is about you"):
        rep.call("sales.complaint", "action_reopen", [complaint])
