"""The runnable scorecards example of docs/sales_kpi.md works against a real server."""

from test_sales_kpi_scorecard_rpc import scorecard_rpc_data  # noqa: F401  (fixture)

from conftest import run_docs_example


def test_scorecard_docs_example_runs(odoo_prefork_server, scorecard_rpc_data):  # noqa: F811
    data = scorecard_rpc_data
    proc = run_docs_example(
        "sales_kpi.md",
        odoo_prefork_server,
        data["logins"]["planner"],
        example="scorecards",
        SC_LEADER_LOGIN=data["logins"]["leader"],
        SC_LEADER_PASSWORD=data["logins"]["leader"],
        SC_REP_ID=data["ids"]["rep2"],
        SC_MONTH="2045-04",
    )
    out = proc.stdout
    assert "created 2 recomputed 0 locked 0" in out
    assert "The score of Weekly report must be from 0 to its 40 points, not 41." in out
    # (30 + 45) x 70 % + attendance 100 x 30 %
    assert "daily work 75.0 monthly score 82.5 rank in team 1" in out
    assert "state approved" in out
    assert "approved and locked: nothing on them can change" in out
