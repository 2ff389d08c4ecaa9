"""The runnable example of docs/sales_kpi.md works against a real server."""

import os
import re
import subprocess
import sys

from test_sales_kpi_rpc import kpi_rpc_data  # noqa: F401  (fixture)

from conftest import ROOT


def test_docs_example_runs(odoo_server, kpi_rpc_data):  # noqa: F811
    page = (ROOT / "docs" / "sales_kpi.md").read_text()
    code = re.search(r"```python\n(.*?)```", page, re.S).group(1)
    env = dict(
        os.environ,
        ODOO_URL=odoo_server.url,
        ODOO_DB=odoo_server.db,
        ODOO_LOGIN=kpi_rpc_data["manager"],
        ODOO_PASSWORD=kpi_rpc_data["manager"],
        KPI_CODE="KPI_RPC_SALES",
        KPI_TEAM_ID=str(kpi_rpc_data["east_id"]),
        KPI_YEAR="2032",
    )
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "published" in proc.stdout
    assert "Unknown KPI code(s): NO_SUCH_KPI" in proc.stdout
