"""The runnable example of docs/sales_kpi.md works against a real server."""

from test_sales_kpi_rpc import kpi_rpc_data  # noqa: F401  (fixture)

from conftest import run_docs_example


def test_docs_example_runs(odoo_prefork_server, kpi_rpc_data):  # noqa: F811
    proc = run_docs_example(
        "sales_kpi.md",
        odoo_prefork_server,
        kpi_rpc_data["manager"],
        KPI_CODE="KPI_RPC_SALES",
        KPI_TEAM_ID=kpi_rpc_data["east_id"],
        KPI_YEAR=2032,
    )
    assert "published" in proc.stdout
    assert "Unknown KPI code(s): NO_SUCH_KPI" in proc.stdout
