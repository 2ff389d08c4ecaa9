"""The runnable XML-RPC example of docs/sales_team_mgmt.md works against a real server."""

import os
import re
import subprocess
import sys

from sales_team_mgmt_fixtures import build_org

from conftest import ROOT

DOC = ROOT / "docs" / "sales_team_mgmt.md"


def example():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "the page has one runnable example"
    return blocks[0]


def test_docs_example_runs(odoo_server, tmp_path):
    org = build_org()
    script = tmp_path / "stm_example.py"
    script.write_text(example(), encoding="utf-8")
    env = dict(
        os.environ,
        ODOO_URL=odoo_server.url,
        ODOO_DB=odoo_server.db,
        STM_REP_LOGIN=org["rep_login"],
        STM_REP_PASSWORD=org["rep_login"],
        STM_APPROVER_LOGIN=org["um_login"],
        STM_APPROVER_PASSWORD=org["um_login"],
        STM_CUSTOMER=org["customer_name"],
        STM_PRODUCT=org["product_code"],
    )
    proc = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"Team Market A {org['tag']} / A1 / U, role [REP-{org['tag']}] Sales Rep, authority 50000.00" in out
    assert "state draft, approval to_approve, approver STM um" in out
    assert "Refused:" in out and "waiting for approval" in out
    assert re.search(r"To approve: .*S\d+", out)
    assert "Confirmed: state sale, approval approved, amount 51000.00" in out
