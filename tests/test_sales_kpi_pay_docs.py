"""The runnable pay example of docs/sales_kpi.md works against a real server."""

from test_sales_kpi_pay_rpc import DOCS_MONTH, pay_rpc_data  # noqa: F401  (fixture)

from conftest import run_docs_example


def test_pay_docs_example_runs(odoo_prefork_server, pay_rpc_data):  # noqa: F811
    data = pay_rpc_data
    proc = run_docs_example(
        "sales_kpi.md",
        odoo_prefork_server,
        data["logins"]["hr"],
        example="pay",
        PAY_MONTH=DOCS_MONTH,
        PAY_COMPANY_ID=data["company_id"],
    )
    out = proc.stdout
    assert "members 2 corrections 0" in out
    assert "Fewer than 30 calls or 50 call minutes on a working day" in out
    assert "Month,Login,Salesperson" in out
    assert "state approved" in out
    assert "is approved: it is a snapshot" in out
