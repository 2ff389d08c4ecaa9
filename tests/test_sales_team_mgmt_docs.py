"""The runnable XML-RPC example of docs/sales_team_mgmt.md works against a real server."""

import re

from sales_team_mgmt_fixtures import build_org

from conftest import run_docs_example


def test_docs_example_runs(odoo_prefork_server):
    org = build_org()
    proc = run_docs_example(
        "sales_team_mgmt.md",
        odoo_prefork_server,
        org["rep_login"],
        STM_REP_LOGIN=org["rep_login"],
        STM_REP_PASSWORD=org["rep_login"],
        STM_APPROVER_LOGIN=org["um_login"],
        STM_APPROVER_PASSWORD=org["um_login"],
        STM_CUSTOMER=org["customer_name"],
        STM_PRODUCT=org["product_code"],
    )
    out = proc.stdout
    assert f"Team Market A {org['tag']} / A1 / U, role [REP-{org['tag']}] Sales Rep, authority 50000.00" in out
    assert "state draft, approval to_approve, approver STM um" in out
    assert "Refused:" in out and "waiting for approval" in out
    assert re.search(r"To approve: .*S\d+", out)
    assert "Confirmed: state sale, approval approved, amount 51000.00" in out
