"""The runnable ranks example of docs/sales_kpi.md works against a real server."""

from test_sales_kpi_ranks_rpc import MONTH, rank_rpc_data  # noqa: F401  (fixture)

from conftest import run_docs_example


def test_ranks_docs_example_runs(odoo_prefork_server, rank_rpc_data):  # noqa: F811
    data = rank_rpc_data
    proc = run_docs_example(
        "sales_kpi.md",
        odoo_prefork_server,
        data["logins"]["hr"],
        example="ranks",
        RK_LEADER_LOGIN=data["logins"]["leader"],
        RK_REP_LOGIN=data["logins"]["rep"],
        RK_MONTH=MONTH,
    )
    out = proc.stdout
    assert "evaluated 2 proposed 1 reviews 0" in out
    assert "[REP] Rep -> [KAM] KAM from 2029-04-01" in out
    assert "2029-01 1500.0 over" in out and "2029-02 0.0 under" in out
    assert "it waits for HR" in out
    assert "state approved" in out
    assert "[REP] Rep 2028-01-01 to 2029-03-31" in out
    assert "[KAM] KAM 2029-04-01 to today" in out
