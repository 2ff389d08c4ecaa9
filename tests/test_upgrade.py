"""Upgrading the three addons (``-u``) twice in a row, on a copy of the demo test
database, logs no warning and changes no data.

The data compared: every row of every table of the addons' own models, the
record rules and menus they own and their XML ids, each row as JSON without
``write_date`` and ``write_uid`` (an upgrade rewrites the records of the data
files with the same values, which only stamps them)."""

import re
import subprocess
import sys

import psycopg2
import pytest

import odoo

from conftest import ADDONS, ROOT, addons_path, committed_env, db_name

LOG_PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) |^Traceback")


@pytest.fixture(scope="module")
def upgrade_db():
    """A copy of the test database (scripts/test.sh makes it before the servers
    of the other tests connect; made here when missing), dropped at the end."""
    name = f"{db_name()}_upgrade"
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = bool(cr.fetchone())
    if not exists:
        odoo.sql_db.close_db(db_name())
        with odoo.sql_db.db_connect("postgres").cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute(f'CREATE DATABASE "{name}" WITH TEMPLATE "{db_name()}"')
    yield name
    odoo.sql_db.close_db(name)
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')


def upgrade(db, option="-u"):
    """``-u`` (or ``-i``) the three addons; returns the log lines that are a problem."""
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "-c",
        str(ROOT / "odoo.conf"),
        f"--addons-path={addons_path()}",
        f"--db_port={odoo.tools.config['db_port']}",
        "-d",
        db,
        option,
        ",".join(ADDONS),
        "--stop-after-init",
        "--http-port=0",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    ignored = [
        re.compile(line)
        for line in (ROOT / "scripts" / "checklog-ignore").read_text(encoding="utf-8").splitlines()
        if line and line != "^$"
    ]
    lines = (proc.stdout + proc.stderr).splitlines()
    return [line for line in lines if LOG_PROBLEM.search(line) and not any(r.search(line) for r in ignored)]


def fingerprint(db):
    """{table or query name: (row count, md5 of the rows)} of what the addons own."""
    config = odoo.tools.config
    connection = psycopg2.connect(
        dbname=db,
        host=config["db_host"] or None,
        port=config["db_port"] or None,
        user=config["db_user"] or None,
        password=config["db_password"] or None,
    )
    result = {}
    try:
        with connection.cursor() as cr:
            cr.execute(
                """
                SELECT DISTINCT m.model FROM ir_model m
                  JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id
                 WHERE d.module = ANY(%s) AND m.model NOT LIKE '%%.mixin'
                """,
                [list(ADDONS)],
            )
            tables = sorted(model.replace(".", "_") for (model,) in cr.fetchall())
            cr.execute("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'")
            existing = {name for (name,) in cr.fetchall()}
            queries = {
                table: f"SELECT to_jsonb(t) - 'write_date' - 'write_uid' FROM \"{table}\" t"
                for table in tables
                if table in existing
            }
            owned = "SELECT res_id FROM ir_model_data WHERE module = ANY(%(addons)s) AND model = '{}'"
            queries["ir_rule (owned)"] = (
                "SELECT to_jsonb(t) - 'write_date' - 'write_uid' FROM ir_rule t WHERE id IN ("
                + owned.format("ir.rule")
                + ")"
            )
            queries["ir_ui_menu (owned)"] = (
                "SELECT to_jsonb(t) - 'write_date' - 'write_uid' FROM ir_ui_menu t WHERE id IN ("
                + owned.format("ir.ui.menu")
                + ")"
            )
            queries["ir_model_data (owned)"] = (
                "SELECT to_jsonb(t) - 'write_date' - 'write_uid' - 'date_update' FROM ir_model_data t "
                "WHERE module = ANY(%(addons)s)"
            )
            for name, query in queries.items():
                cr.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(j::text, ',' ORDER BY j->>'id', j::text), '')) "
                    f"FROM ({query}) rows(j)",
                    {"addons": list(ADDONS)},
                )
                result[name] = cr.fetchone()
    finally:
        connection.close()
    return result


def test_upgrade_twice_logs_nothing_and_changes_nothing(upgrade_db):
    with committed_env() as env:
        assert env["ir.module.module"].search_count([("name", "in", ADDONS), ("state", "=", "installed")]) == 3
    before = fingerprint(upgrade_db)
    assert "sales_expense" in before and before["sales_expense"][0] > 0, "the demo data is there"
    for run in (1, 2):
        problems = upgrade(upgrade_db)
        assert problems == [], f"upgrade {run} logged:\n" + "\n".join(problems[:40])
        after = fingerprint(upgrade_db)
        changed = {name: (before[name], after.get(name)) for name in before if before[name] != after.get(name)}
        assert not changed, f"upgrade {run} changed: {sorted(changed)}"
