"""sales_kpi over XML-RPC against a real server: compute, allocate, publish,
and clean faults (nothing written) on bad input."""

import time
import xmlrpc.client
from datetime import date

import psycopg2.errors
import pytest

from odoo import Command
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from conftest import committed_env


@pytest.fixture(scope="session")
def kpi_rpc_data():
    """Committed data: a KPI manager, a rep, a two-level team tree and a
    confirmed-sales KPI (created once, reused by later sessions)."""
    with committed_env() as env:
        users = {}
        for login, groups in (
            ("kpi_rpc_manager", "sales_team.group_sale_salesman,sales_kpi.group_sales_kpi_manager"),
            ("kpi_rpc_rep", "sales_team.group_sale_salesman,sales_kpi.group_sales_kpi_user"),
        ):
            user = env["res.users"].search([("login", "=", login)])
            users[login] = user or new_test_user(env, login=login, groups=groups)
        company = env.ref("base.main_company")
        Team = env["crm.team"]
        top = Team.search([("name", "=", "KPI RPC Top")]) or Team.create(
            {"name": "KPI RPC Top", "company_id": company.id}
        )
        east = Team.search([("name", "=", "KPI RPC East")]) or Team.create(
            {"name": "KPI RPC East", "parent_id": top.id, "company_id": company.id}
        )
        if not east.crm_team_member_ids:
            east.crm_team_member_ids = [
                Command.create({"user_id": users["kpi_rpc_rep"].id, "date_start": date(2020, 1, 1)})
            ]
        kpi = env["sales.kpi"].search([("code", "=", "KPI_RPC_SALES"), ("company_id", "=", company.id)])
        kpi = kpi or env["sales.kpi"].create(
            {"code": "KPI_RPC_SALES", "name": "RPC sales", "source": "sales", "company_id": company.id}
        )
        # Another team, outside the tree above, whose rep sold 700 in February 2031.
        west_rep = env["res.users"].search([("login", "=", "kpi_rpc_rep_west")]) or new_test_user(
            env, login="kpi_rpc_rep_west", groups="sales_team.group_sale_salesman,sales_kpi.group_sales_kpi_user"
        )
        west = Team.search([("name", "=", "KPI RPC West")]) or Team.create(
            {
                "name": "KPI RPC West",
                "company_id": company.id,
                "crm_team_member_ids": [Command.create({"user_id": west_rep.id, "date_start": date(2020, 1, 1)})],
            }
        )
        if not env["sale.order"].search_count([("client_order_ref", "=", "KPI RPC West sale")]):
            product = env["product.product"].create({"name": "KPI RPC product", "type": "service"})
            customer = env["res.partner"].create({"name": "KPI RPC West customer", "is_company": True})
            env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "user_id": west_rep.id,
                    "team_id": west.id,
                    "company_id": company.id,
                    "client_order_ref": "KPI RPC West sale",
                    "date_order": date(2031, 2, 10),
                    "state": "sale",
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": 1, "price_unit": 700.0, "tax_id": False}
                        )
                    ],
                }
            )
            env["sales.kpi.fact"].rebuild("2031-02-01", "2031-02-28")
        return {
            "manager": "kpi_rpc_manager",
            "rep_id": users["kpi_rpc_rep"].id,
            "west_rep_id": west_rep.id,
            "top_id": top.id,
            "east_id": east.id,
            "west_id": west.id,
            "kpi_id": kpi.id,
        }


def _plan(client, data, **vals):
    values = {
        "name": f"KPI RPC plan {time.time()}",
        "kpi_id": data["kpi_id"],
        "fiscal_year": 2031,
        "root_team_id": data["top_id"],
        "root_value": 1200.0,
        "owner_method": "equal",
        "period_method": "equal",
    }
    values.update(vals)
    return client.call("sales.kpi.target.plan", "create", values)


def test_compute_allocate_publish(odoo_server, kpi_rpc_data):
    client = odoo_server.client(kpi_rpc_data["manager"])
    rows = client.call(
        "sales.kpi",
        "compute_values_by_code",
        ["KPI_RPC_SALES"],
        "team",
        [kpi_rpc_data["top_id"], kpi_rpc_data["east_id"]],
        ["2031", "2031-Q1", "2031-03"],
    )
    assert len(rows) == 6
    assert {(r["owner_id"], r["period"]) for r in rows} == {
        (team, period)
        for team in (kpi_rpc_data["top_id"], kpi_rpc_data["east_id"])
        for period in ("2031", "2031-Q1", "2031-03")
    }
    assert all(r["value"] == 0.0 and r["code"] == "KPI_RPC_SALES" for r in rows)
    plan_id = _plan(client, kpi_rpc_data)
    assert client.call("sales.kpi.target.plan", "action_allocate", [plan_id]) is True
    lines = client.call(
        "sales.kpi.target.line",
        "search_read",
        [("plan_id", "=", plan_id), ("user_id", "=", kpi_rpc_data["rep_id"])],
        fields=["period_label", "target"],
    )
    targets = {line["period_label"]: line["target"] for line in lines}
    assert targets["2031"] == 1200.0 and targets["2031-Q2"] == 300.0 and targets["2031-07"] == 100.0
    client.call("sales.kpi.target.plan", "action_publish", [plan_id])
    plan = client.call("sales.kpi.target.plan", "read", [plan_id], ["state"])[0]
    assert plan["state"] == "published"


def test_bad_input_gives_clear_faults_and_writes_nothing(odoo_server, kpi_rpc_data):
    client = odoo_server.client(kpi_rpc_data["manager"])
    with pytest.raises(xmlrpc.client.Fault, match=r"Unknown KPI code\(s\): NO_SUCH_KPI"):
        client.call("sales.kpi", "compute_values_by_code", ["NO_SUCH_KPI"], "user", [1], ["2031"])
    with pytest.raises(xmlrpc.client.Fault, match="must start on the first day of a month"):
        client.call(
            "sales.kpi", "compute_values_by_code", ["KPI_RPC_SALES"], "user", [1], [["2031-01-05", "2031-02-28"]]
        )
    name = f"KPI RPC negative {time.time()}"
    with pytest.raises(xmlrpc.client.Fault, match="must not be negative"):
        _plan(client, kpi_rpc_data, name=name, root_value=-10.0)
    with pytest.raises(xmlrpc.client.Fault, match="must be a number"):
        _plan(client, kpi_rpc_data, name=name, root_value="ten thousand")
    assert client.call("sales.kpi.target.plan", "search_count", [("name", "=", name)]) == 0

    plan_id = _plan(client, kpi_rpc_data)
    client.call("sales.kpi.target.plan", "action_allocate", [plan_id])
    Line = "sales.kpi.target.line"
    east = client.call(
        Line,
        "search_read",
        [
            ("plan_id", "=", plan_id),
            ("team_id", "=", kpi_rpc_data["east_id"]),
            ("owner_type", "=", "team"),
            ("period_type", "=", "year"),
        ],
        fields=["target"],
    )[0]
    with pytest.raises(xmlrpc.client.Fault, match="exceed their parent"):
        client.call(Line, "write", [east["id"]], {"target": 5000.0})
    with pytest.raises(xmlrpc.client.Fault, match="must not be negative"):
        client.call(Line, "write", [east["id"]], {"target": -1.0})
    with pytest.raises(xmlrpc.client.Fault, match="must be a number"):
        client.call(Line, "write", [east["id"]], {"target": "lots"})
    assert client.call(Line, "read", [east["id"]], ["target"])[0]["target"] == east["target"] == 1200.0
    # a member cannot change targets, only propose one
    rep = odoo_server.client("kpi_rpc_rep")
    with pytest.raises(xmlrpc.client.Fault, match="change targets; members may only propose one"):
        rep.call(Line, "write", [east["id"]], {"target": 1.0})
    assert client.call(Line, "read", [east["id"]], ["target"])[0]["target"] == 1200.0


def test_a_rep_cannot_read_another_teams_facts_or_targets(odoo_server, kpi_rpc_data):
    """The East rep neither leads nor belongs to the West team: none of its
    rep's facts, targets or KPI values reach them, by search or by id."""
    manager = odoo_server.client(kpi_rpc_data["manager"])
    rep = odoo_server.client("kpi_rpc_rep")
    west_rep_id = kpi_rpc_data["west_rep_id"]
    Fact, Line = "sales.kpi.fact", "sales.kpi.target.line"
    west_facts = manager.call(Fact, "search_read", [("user_id", "=", west_rep_id)], fields=["amount_sale"])
    assert sum(fact["amount_sale"] for fact in west_facts) == 700.0
    plan_id = _plan(manager, kpi_rpc_data, root_team_id=kpi_rpc_data["west_id"])
    manager.call("sales.kpi.target.plan", "action_allocate", [plan_id])
    west_lines = manager.call(Line, "search", [("plan_id", "=", plan_id), ("user_id", "=", west_rep_id)])
    assert len(west_lines) == 17  # a year, 4 quarters, 12 months

    assert rep.call(Fact, "search_read", [("user_id", "=", west_rep_id)], fields=["amount_sale"]) == []
    assert rep.call(Line, "search_count", [("plan_id", "=", plan_id)]) == 0
    for model, ids in ((Fact, [west_facts[0]["id"]]), (Line, west_lines[:1])):
        with pytest.raises(xmlrpc.client.Fault, match="doesn't have 'read' access"):
            rep.call(model, "read", ids, ["user_id"])
    with pytest.raises(xmlrpc.client.Fault, match="only compute KPIs for yourself"):
        rep.call("sales.kpi", "compute_values_by_code", ["KPI_RPC_SALES"], "user", [west_rep_id], ["2031-02"])
    with pytest.raises(xmlrpc.client.Fault, match="doesn't have '(read|write)' access"):
        rep.call(Line, "write", west_lines[:1], {"proposed_target": 1.0})
    assert manager.call(Line, "read", west_lines[:1], ["proposed_target"])[0]["proposed_target"] == 0.0
    # the West rep reads their own
    west = odoo_server.client("kpi_rpc_rep_west")
    assert west.call(Line, "search_count", [("plan_id", "=", plan_id)]) == 17
    rows = west.call("sales.kpi", "compute_values_by_code", ["KPI_RPC_SALES"], "user", [west_rep_id], ["2031-02"])
    assert rows[0]["value"] == 700.0


def test_refresh_on_a_stale_snapshot_fails_to_be_retried():
    """Transaction A takes its snapshot; another refresh commits; A's refresh
    then fails with a serialization error, which Odoo retries, instead of
    working on facts it cannot see (a full rebuild would truncate them)."""
    with pytest.raises(psycopg2.errors.SerializationFailure), mute_logger("odoo.sql_db"):
        with committed_env() as env_a:
            env_a["res.company"].search([], limit=1)  # A's snapshot is taken here
            with committed_env() as env_b:
                env_b["sales.kpi.fact"].rebuild("2031-06-01", "2031-06-30")
            env_a["sales.kpi.fact"].rebuild("2031-06-01", "2031-06-30")
    with committed_env() as env:
        env["sales.kpi.fact"].rebuild("2031-06-01", "2031-06-30")
