"""Uninstalling each addon leaves a working database.

The addons are uninstalled one after the other, dependants first, from a copy
of the test database (the ``uninstall_db`` fixture)."""

import json
import subprocess
import sys

import pytest

import odoo

from conftest import ROOT, addons_path


def uninstall(db, module):
    cmd = [
        sys.executable,
        str(ROOT / "tests" / "uninstall_check.py"),
        "-c",
        str(ROOT / "odoo.conf"),
        f"--addons-path={addons_path()}",
        f"--db_port={odoo.tools.config['db_port']}",
        "-d",
        db,
        "--log-level=warn",
        module,
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", ["sales_kpi", "osb_credit", "sales_team_mgmt"])
def test_uninstall_leaves_working_database(uninstall_db, module):
    report = uninstall(uninstall_db, module)
    assert report["state"] == "uninstalled"
    assert report["models"], f"{module} declares models of its own"
    assert report["models_left"] == []
    assert report["tables_left"] == []
    assert report["fields_left"] == []
    assert report["order_state"] == "sale"
