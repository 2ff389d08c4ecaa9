"""Who sees what, over XML-RPC with real users against a real server in prefork
mode: consecutive requests of one user go to whichever worker is free."""

import xmlrpc.client

import pytest
from sales_team_mgmt_fixtures import build_org, create_order

from conftest import answering_pids


@pytest.fixture(scope="module")
def org(odoo_prefork_server):
    org = build_org()
    org["order_u"] = create_order(org, "rep", "u", 1000)
    org["order_a1"] = create_order(org, "um", "a1", 1000)
    org["order_a2"] = create_order(org, "rep2", "a2", 1000)
    org["order_b"] = create_order(org, "mm_b", "b", 1000)
    return org


ORDERS = ("order_u", "order_a1", "order_a2", "order_b")


def visible(odoo_prefork_server, org, login_key, model="sale.order"):
    client = odoo_prefork_server.client(org[f"{login_key}_login"])
    ids = [org[o] for o in ORDERS]
    if model == "sale.order.line":
        found = client.call(model, "search_read", [("order_id", "in", ids)], ["order_id"])
        found_ids = {r["order_id"][0] for r in found}
    else:
        found_ids = set(client.call(model, "search", [("id", "in", ids)]))
    return {o for o in ORDERS if org[o] in found_ids}


def test_rep_sees_own_orders_only(odoo_prefork_server, org):
    assert visible(odoo_prefork_server, org, "rep") == {"order_u"}
    assert visible(odoo_prefork_server, org, "rep2") == {"order_a2"}
    client = odoo_prefork_server.client(org["rep_login"])
    with pytest.raises(xmlrpc.client.Fault, match="AccessError|not allowed|top-secret"):
        client.call("sale.order", "read", [org["order_a2"]], ["name"])


def test_region_manager_sees_the_region_not_the_sibling(odoo_prefork_server, org):
    assert visible(odoo_prefork_server, org, "rm_a1") == {"order_u", "order_a1"}
    assert visible(odoo_prefork_server, org, "rm_a1", "sale.order.line") == {"order_u", "order_a1"}
    assert visible(odoo_prefork_server, org, "rm_a2") == {"order_a2"}


def test_market_manager_sees_the_whole_market(odoo_prefork_server, org):
    assert visible(odoo_prefork_server, org, "mm_a") == {"order_u", "order_a1", "order_a2"}
    assert visible(odoo_prefork_server, org, "director") == {"order_u", "order_a1", "order_a2"}
    assert visible(odoo_prefork_server, org, "mm_b") == {"order_b"}


def test_manager_cannot_edit_an_order_of_a_child_unit(odoo_prefork_server, org):
    mm = odoo_prefork_server.client(org["mm_a_login"])
    with pytest.raises(xmlrpc.client.Fault, match="AccessError|not allowed|top-secret"):
        mm.call("sale.order", "write", [org["order_u"]], {"client_order_ref": "by the market manager"})
    um = odoo_prefork_server.client(org["um_login"])
    assert um.call("sale.order", "write", [org["order_u"]], {"client_order_ref": "PO-42"}) is True
    assert mm.call("sale.order", "read", [org["order_u"]], ["client_order_ref"])[0]["client_order_ref"] == "PO-42"


def test_reorganisation_changes_visibility_at_once(odoo_prefork_server, org):
    manager = odoo_prefork_server.client(org["org_manager_login"])
    # Move region A2 from market A to market B.
    manager.call("crm.team", "write", [org["team_a2_id"]], {"parent_id": org["team_b_id"]})
    assert visible(odoo_prefork_server, org, "mm_a") == {"order_u", "order_a1"}
    assert visible(odoo_prefork_server, org, "mm_b") == {"order_a2", "order_b"}
    # A new leader of region A1 sees it at once; the former one no longer does.
    assert visible(odoo_prefork_server, org, "newcomer") == set()
    manager.call("crm.team", "write", [org["team_a1_id"]], {"user_id": org["newcomer_id"]})
    assert visible(odoo_prefork_server, org, "newcomer") == {"order_u", "order_a1"}
    assert visible(odoo_prefork_server, org, "rm_a1") == set()
    # And back.
    manager.call("crm.team", "write", [org["team_a2_id"]], {"parent_id": org["team_a_id"]})
    assert visible(odoo_prefork_server, org, "mm_a") == {"order_u", "order_a1", "order_a2"}


REPEAT = 20


def test_reorganisation_is_seen_by_the_next_request_whichever_worker_answers(odoo_prefork_server, org):
    """One request re-organises (region A2 moves to market B; region A1 gets a new
    leader), and from the very next request on, another user reads
    the new visibility 20 times in a row, on whichever worker answers each read.

    Every re-organisation clears the registry caches, the credential cache with
    them: each worker verifies each user's password again (~0.7 s) on its next call,
    hence two re-organisations, 20 reads after each."""
    server = odoo_prefork_server
    manager = server.client(org["org_manager_login"])
    readers = {"mm_b": server.client(org["mm_b_login"]), "newcomer": server.client(org["newcomer_login"])}
    ids = [org[o] for o in ORDERS]
    steps = [
        ("team_a2_id", {"parent_id": org["team_b_id"]}, "mm_b", {"order_a2", "order_b"}),
        ("team_a1_id", {"user_id": org["newcomer_id"]}, "newcomer", {"order_u", "order_a1"}),
    ]
    try:
        for team, values, reader, expected in steps:
            manager.call("crm.team", "write", [org[team]], values)
            mark = server.log_mark()
            for i in range(REPEAT):
                found = set(readers[reader].call("sale.order", "search", [("id", "in", ids)]))
                assert {o for o in ORDERS if org[o] in found} == expected, (team, values, i)
            # The reads were answered by more than one worker process.
            assert len(answering_pids(server.log_since(mark))) >= 2
    finally:
        manager.call("crm.team", "write", [org["team_a2_id"]], {"parent_id": org["team_a_id"]})
        manager.call("crm.team", "write", [org["team_a1_id"]], {"user_id": org["rm_a1_id"]})
    assert visible(server, org, "mm_b") == {"order_b"}


def test_cycles_and_cross_company_refused_over_rpc(odoo_prefork_server, org):
    manager = odoo_prefork_server.client(org["org_manager_login"])
    with pytest.raises(xmlrpc.client.Fault, match="cannot form a cycle"):
        manager.call("crm.team", "write", [org["team_a_id"]], {"parent_id": org["team_u_id"]})
    parent = manager.call("crm.team", "read", [org["team_a_id"]], ["parent_id", "complete_name"])[0]
    assert parent["parent_id"] is False
    unit = manager.call("crm.team", "read", [org["team_u_id"]], ["complete_name"])[0]
    assert unit["complete_name"] == f"Market A {org['tag']} / A1 / U"
