"""Committed sales organisation for the XML-RPC scenarios of sales_team_mgmt.

Every call builds a fresh organisation whose logins and codes carry a random tag,
so that the scenarios never collide with each other, with demo data or with a
previous run on the same database. Passwords equal logins (``new_test_user``).

    SLT (leader: gm; member: director, unlimited)
    A  market  (leader: mm_a, SLT member in charge: director)   MM  500,000 / 15%
      A1 region (leader: rm_a1)                                  RM  300,000 / 12%
        U unit (leader: um; member: rep)                         UM  200,000 / 10%, REP 50,000 / 5%
      A2 region (leader: rm_a2; member: rep2)
    B  market  (leader: mm_b)
"""

import uuid

from odoo import Command
from odoo.tests import new_test_user

from conftest import committed_env

HIERARCHY = "sales_team_mgmt.group_sales_team_mgmt_hierarchy,sales_team_mgmt.group_sales_team_mgmt_user"
SALESMAN = "sales_team.group_sale_salesman,sales_team_mgmt.group_sales_team_mgmt_user"
ORG_MANAGER = "sales_team_mgmt.group_sales_team_mgmt_manager,sales_team.group_sale_salesman_all_leads"


def build_org():
    tag = uuid.uuid4().hex[:6]
    org = {"tag": tag}
    with committed_env() as env:
        company = env.ref("base.main_company")
        Role = env["sales.role"]
        roles = {
            "dir": Role.create({"name": "Director", "code": f"DIR-{tag}", "unlimited_authority": True}),
            "mm": Role.create(
                {"name": "Market Manager", "code": f"MM-{tag}", "max_order_amount": 500000, "max_discount": 15}
            ),
            "rm": Role.create(
                {"name": "Region Manager", "code": f"RM-{tag}", "max_order_amount": 300000, "max_discount": 12}
            ),
            "um": Role.create(
                {"name": "Unit Manager", "code": f"UM-{tag}", "max_order_amount": 200000, "max_discount": 10}
            ),
            "rep": Role.create(
                {"name": "Sales Rep", "code": f"REP-{tag}", "max_order_amount": 50000, "max_discount": 5}
            ),
        }
        users = {}
        for key, groups in (
            ("gm", HIERARCHY),
            ("director", HIERARCHY),
            ("mm_a", HIERARCHY),
            ("mm_b", HIERARCHY),
            ("rm_a1", HIERARCHY),
            ("rm_a2", HIERARCHY),
            ("um", HIERARCHY),
            ("newcomer", HIERARCHY),
            ("rep", SALESMAN),
            ("rep2", SALESMAN),
            ("org_manager", ORG_MANAGER),
        ):
            login = f"stm_{tag}_{key}"
            users[key] = new_test_user(env, login=login, groups=groups, name=f"STM {key} {tag}")
            org[f"{key}_login"] = login
            org[f"{key}_id"] = users[key].id
        Team = env["crm.team"].with_context(default_company_id=company.id)
        teams = {}
        teams["slt"] = Team.create({"name": f"SLT {tag}", "team_type": "slt", "user_id": users["gm"].id})
        teams["a"] = Team.create(
            {
                "name": f"Market A {tag}",
                "team_type": "market",
                "user_id": users["mm_a"].id,
                "slt_user_id": users["director"].id,
            }
        )
        teams["b"] = Team.create({"name": f"Market B {tag}", "team_type": "market", "user_id": users["mm_b"].id})
        teams["a1"] = Team.create(
            {"name": "A1", "team_type": "region", "parent_id": teams["a"].id, "user_id": users["rm_a1"].id}
        )
        teams["a2"] = Team.create(
            {"name": "A2", "team_type": "region", "parent_id": teams["a"].id, "user_id": users["rm_a2"].id}
        )
        teams["u"] = Team.create(
            {"name": "U", "team_type": "unit", "parent_id": teams["a1"].id, "user_id": users["um"].id}
        )
        for team, user, role in (
            ("slt", "director", "dir"),
            ("a", "mm_a", "mm"),
            ("b", "mm_b", "mm"),
            ("a1", "rm_a1", "rm"),
            ("a2", "rm_a2", "rm"),
            ("u", "um", "um"),
            ("u", "rep", "rep"),
            ("a2", "rep2", "rep"),
        ):
            env["crm.team.member"].create(
                {"crm_team_id": teams[team].id, "user_id": users[user].id, "role_id": roles[role].id}
            )
        for key, team in teams.items():
            org[f"team_{key}_id"] = team.id
        customer = env["res.partner"].create({"name": f"STM Distributor {tag}", "is_company": True})
        product = env["product.product"].create(
            {
                "name": f"STM Gift Box {tag}",
                "default_code": f"STM-{tag}",
                "list_price": 1000.0,
                "taxes_id": [Command.clear()],
            }
        )
        org["customer_id"] = customer.id
        org["customer_name"] = customer.name
        org["product_id"] = product.id
        org["product_code"] = product.default_code
    return org


def create_order(org, user_key, team_key, amount, discount=0.0):
    """A committed quotation of ``amount`` (the product costs 1,000) for a salesperson."""
    with committed_env() as env:
        order = env["sale.order"].create(
            {
                "partner_id": org["customer_id"],
                "user_id": org[f"{user_key}_id"],
                "team_id": org[f"team_{team_key}_id"],
                "order_line": [
                    Command.create(
                        {
                            "product_id": org["product_id"],
                            "product_uom_qty": amount / 1000,
                            "discount": discount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        return order.id
