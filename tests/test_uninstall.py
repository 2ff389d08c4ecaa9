"""Uninstalling each addon leaves a working database, and installing them again
on that database (which keeps the data of Odoo's own modules) gives them back
whole.

The addons are uninstalled one after the other, dependants first, from a copy
of the test database (the ``uninstall_db`` fixture), then installed again."""

import json
import subprocess
import sys

import pytest
from test_upgrade import upgrade

import odoo

from conftest import ADDONS, ROOT, addons_path, committed_env


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


def xml_ids(cr):
    """{(module, name): model} of the XML ids of the three addons."""
    cr.execute("SELECT module, name, model FROM ir_model_data WHERE module = ANY(%s)", [list(ADDONS)])
    return {(module, name): model for module, name, model in cr.fetchall()}


def module_states(cr):
    cr.execute("SELECT name, state FROM ir_module_module WHERE name = ANY(%s)", [list(ADDONS)])
    return dict(cr.fetchall())


def test_reinstall_after_uninstall(uninstall_db):
    """Installed again after their uninstall, the addons log no warning and
    every record of their data and demo files is back (the test database's XML
    ids of the three addons, with the same models)."""
    with odoo.sql_db.db_connect(uninstall_db).cursor() as cr:
        states = module_states(cr)
    # Run alone (``-k reinstall``), the uninstall comes first.
    for module in ("sales_kpi", "osb_credit", "sales_team_mgmt"):
        if states.get(module) == "installed":
            assert uninstall(uninstall_db, module)["state"] == "uninstalled"
    with odoo.sql_db.db_connect(uninstall_db).cursor() as cr:
        # Records the uninstall could not delete (the demo users, customers and
        # company other records point at) keep their XML ids: the reinstall
        # must take them over, not create them twice.
        assert set(module_states(cr).values()) == {"uninstalled"}
    problems = upgrade(uninstall_db, "-i")
    odoo.sql_db.close_db(uninstall_db)
    assert problems == [], "the reinstall logged:\n" + "\n".join(problems[:40])
    with committed_env() as env:
        expected = xml_ids(env.cr)
    with odoo.sql_db.db_connect(uninstall_db).cursor() as cr:
        assert module_states(cr) == dict.fromkeys(ADDONS, "installed")
        got = xml_ids(cr)
    missing = sorted(f"{module}.{name}" for module, name in expected.keys() - got.keys())
    assert not missing, f"missing after the reinstall: {missing[:20]}"
    assert {key: got[key] for key in expected} == expected
