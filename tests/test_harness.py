"""The harness itself: a real server answers XML-RPC for a non-admin user."""

import ast
import xmlrpc.client

import pytest

from conftest import ROOT

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
