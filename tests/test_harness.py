"""The harness itself: a real server answers XML-RPC for a non-admin user."""

import ast
import xmlrpc.client

import pytest

from conftest import ROOT, answering_pids, server_errors

ADDONS = ("sales_team_mgmt", "osb_credit", "sales_kpi")


def manifest_version(addon):
    return ast.literal_eval((ROOT / "addons" / addon / "__manifest__.py").read_text())["version"]


def test_non_admin_reads_addon_versions(odoo_server, sales_user_login):
    client = odoo_server.client(sales_user_login)
    user = client.call("res.users", "read", [client.uid], ["login", "share"])[0]
    assert user["login"] == sales_user_login
    assert user["share"] is False
    assert client.uid != 2, "the harness must not log in as admin"
    modules = client.call(
        "ir.module.module",
        "search_read",
        [("name", "in", list(ADDONS))],
        fields=["name", "state", "installed_version", "latest_version"],
    )
    assert {m["name"]: (m["state"], m["latest_version"]) for m in modules} == {
        name: ("installed", manifest_version(name)) for name in ADDONS
    }


def test_wrong_password_is_refused(odoo_server, sales_user_login):
    with pytest.raises(AssertionError, match="authentication failed"):
        odoo_server.client(sales_user_login, "not-the-password")


def test_salesman_cannot_write_roles(odoo_server, sales_user_login):
    client = odoo_server.client(sales_user_login)
    with pytest.raises(xmlrpc.client.Fault, match="not allowed to create"):
        client.call("sales.role", "create", {"name": "Hacker", "code": "HACK"})


def test_server_errors_flags_failures_and_retries():
    """What the prefork tests assert on: errors, tracebacks and every serialisation
    failure or deadlock, even one Odoo retried at INFO level."""
    lines = [
        '2026-01-01 10:00:00,000 42 INFO db werkzeug: 127.0.0.1 - - "POST /xmlrpc/2/object HTTP/1.1" 200 -',
        "2026-01-01 10:00:00,001 42 WARNING db odoo.http: Access Denied",
        "2026-01-01 10:00:00,002 43 ERROR db odoo.sql_db: bad query: UPDATE res_partner SET signup_type = 'signup'",
        "ERROR: could not serialize access due to concurrent update",
        "2026-01-01 10:00:00,003 43 INFO db odoo.service.model: serialization_failure, 4 tries left, try again",
        "Traceback (most recent call last):",
    ]
    assert server_errors(lines) == lines[2:]
    assert answering_pids(lines) == {42}
