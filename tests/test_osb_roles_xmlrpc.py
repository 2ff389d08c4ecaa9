"""OSB roles over XML-RPC against a real server: an order gets its CSR, SCR and
BCR from the rules at creation; a CSR cannot change them (nothing is written),
the SSG leader can."""

import uuid
import xmlrpc.client

import pytest

from odoo.tests import new_test_user

from conftest import committed_env


@pytest.fixture(scope="module")
def roles_setup():
    tag = uuid.uuid4().hex[:6]
    with committed_env() as env:
        company = env["res.company"].create({"name": f"OSB RPC Roles {tag}"})

        def user(role, groups):
            login = f"osb_rpc_{role}_{tag}"
            return new_test_user(env, login=login, groups=groups, company_id=company.id, name=login)

        users = {
            "rep": user("rep", "sales_team.group_sale_salesman"),
            "csr": user("csr", "osb_credit.group_osb_csr"),
            "leader": user("leader", "osb_credit.group_osb_ssg_leader"),
        }
        Rule = env["osb.role.rule"]
        for role, holder in (("csr", "csr"), ("scr", "leader"), ("bcr", "leader")):
            Rule.create({"company_id": company.id, "role": role, "user_id": users[holder].id})
        customer = env["res.partner"].create({"name": f"OSB RPC Roles Customer {tag}", "is_company": True})
        setup = {
            "logins": {key: value.login for key, value in users.items()},
            "uids": {key: value.id for key, value in users.items()},
            "customer_id": customer.id,
        }
    return setup


def test_csr_cannot_change_the_roles_of_an_order(odoo_server, roles_setup):
    uids = roles_setup["uids"]
    rep = odoo_server.client(roles_setup["logins"]["rep"])
    order_id = rep.call("sale.order", "create", {"partner_id": roles_setup["customer_id"]})
    fields = ["osb_csr_id", "osb_scr_id", "osb_bcr_id"]

    def roles():
        order = rep.call("sale.order", "read", [order_id], fields)[0]
        return tuple(order[name] and order[name][0] for name in fields)

    assert roles() == (uids["csr"], uids["leader"], uids["leader"])
    csr = odoo_server.client(roles_setup["logins"]["csr"])
    # the CSR reads and edits the order it owns, but not its roles
    assert csr.call("sale.order", "search", [("osb_csr_id", "=", uids["csr"])]) == [order_id]
    csr.call("sale.order", "write", [order_id], {"client_order_ref": "PO-RPC"})
    for values in ({"osb_csr_id": uids["leader"]}, {"osb_bcr_id": False}, {"osb_scr_id": uids["csr"], "note": "x"}):
        with pytest.raises(xmlrpc.client.Fault, match="Only the SSG leader changes") as fault:
            csr.call("sale.order", "write", [order_id], values)
        assert fault.value.faultCode == 4  # AccessError
    with pytest.raises(xmlrpc.client.Fault, match="Only the SSG leader changes"):
        rep.call("sale.order", "create", {"partner_id": roles_setup["customer_id"], "osb_csr_id": uids["leader"]})
    assert roles() == (uids["csr"], uids["leader"], uids["leader"])
    # the SSG leader can
    leader = odoo_server.client(roles_setup["logins"]["leader"])
    leader.call("sale.order", "write", [order_id], {"osb_csr_id": uids["leader"]})
    assert roles() == (uids["leader"], uids["leader"], uids["leader"])
    # and the CSR no longer reads it
    assert csr.call("sale.order", "search", [("id", "=", order_id)]) == []
