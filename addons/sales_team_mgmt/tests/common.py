# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from contextlib import contextmanager

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

HIERARCHY = "sales_team_mgmt.group_sales_team_mgmt_hierarchy"
SALESMAN = "sales_team.group_sale_salesman"


class SalesTeamMgmtCommon(BaseCommon):
    """A 4-level organisation with roles and authority.

    SLT (leader: gm; member: director)
      Market East (leader: mm, SLT member in charge: director)     MM  500,000 / 15%
        Region Shanghai (leader: rm)                                 RM  300,000 / 12%
          Unit Pudong (leader: um; member: rep)                      UM  200,000 / 10%
                                                                     REP  50,000 /  5%
        Region Zhejiang (leader: rm2)
      Market North (leader: mm2)
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        Role = cls.env["sales.role"]
        cls.role_dir = Role.create({"name": "Director", "code": "T-DIR", "sequence": 1, "unlimited_authority": True})
        cls.role_mm = Role.create(
            {"name": "Market Manager", "code": "T-MM", "sequence": 2, "max_order_amount": 500000, "max_discount": 15}
        )
        cls.role_rm = Role.create(
            {"name": "Region Manager", "code": "T-RM", "sequence": 3, "max_order_amount": 300000, "max_discount": 12}
        )
        cls.role_um = Role.create(
            {"name": "Unit Manager", "code": "T-UM", "sequence": 4, "max_order_amount": 200000, "max_discount": 10}
        )
        cls.role_rep = Role.create(
            {"name": "Sales Rep", "code": "T-REP", "sequence": 5, "max_order_amount": 50000, "max_discount": 5}
        )

        def user(login, groups=HIERARCHY):
            return new_test_user(cls.env, login=login, groups=groups, name=login.replace("_", " ").title())

        cls.gm = user("stm_t_gm")
        cls.director = user("stm_t_director")
        cls.mm = user("stm_t_mm")
        cls.mm2 = user("stm_t_mm2")
        cls.rm = user("stm_t_rm")
        cls.rm2 = user("stm_t_rm2")
        cls.um = user("stm_t_um")
        cls.rep = user("stm_t_rep", SALESMAN)
        cls.rep2 = user("stm_t_rep2", SALESMAN)
        cls.sales_admin = user("stm_t_admin", "sales_team.group_sale_manager")

        Team = cls.env["crm.team"].with_context(default_company_id=cls.company.id)
        cls.slt = Team.create({"name": "SLT", "code": "T-SLT", "team_type": "slt", "user_id": cls.gm.id})
        cls.market = Team.create(
            {
                "name": "East",
                "code": "T-E",
                "team_type": "market",
                "parent_id": cls.slt.id,
                "user_id": cls.mm.id,
                "slt_user_id": cls.director.id,
            }
        )
        cls.market2 = Team.create(
            {"name": "North", "code": "T-N", "team_type": "market", "parent_id": cls.slt.id, "user_id": cls.mm2.id}
        )
        cls.region = Team.create(
            {
                "name": "Shanghai",
                "code": "T-E-SH",
                "team_type": "region",
                "parent_id": cls.market.id,
                "user_id": cls.rm.id,
            }
        )
        cls.region2 = Team.create(
            {
                "name": "Zhejiang",
                "code": "T-E-ZJ",
                "team_type": "region",
                "parent_id": cls.market.id,
                "user_id": cls.rm2.id,
            }
        )
        cls.unit = Team.create(
            {
                "name": "Pudong",
                "code": "T-E-SH-PD",
                "team_type": "unit",
                "parent_id": cls.region.id,
                "user_id": cls.um.id,
            }
        )
        Member = cls.env["crm.team.member"]
        for team, member, role in (
            (cls.slt, cls.director, cls.role_dir),
            (cls.market, cls.mm, cls.role_mm),
            (cls.market2, cls.mm2, cls.role_mm),
            (cls.region, cls.rm, cls.role_rm),
            (cls.region2, cls.rm2, cls.role_rm),
            (cls.unit, cls.um, cls.role_um),
            (cls.unit, cls.rep, cls.role_rep),
            (cls.region2, cls.rep2, cls.role_rep),
        ):
            Member.create({"crm_team_id": team.id, "user_id": member.id, "role_id": role.id})

        cls.customer = cls.env["res.partner"].create({"name": "STM Distributor"})
        cls.product = cls.env["product.product"].create(
            {"name": "STM Product", "list_price": 1000.0, "taxes_id": [Command.clear()]}
        )

    @contextmanager
    def assertRaisesRollback(self, exception, regex):
        """assertRaisesRegex that rolls back what the failed call wrote, as a
        request does (Odoo only wraps assertRaises itself in a savepoint)."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    @classmethod
    def _create_order(cls, amount, user=None, team=None, discount=0.0):
        """A quotation of ``amount`` (before discount; the product costs 1,000) for ``user``
        in ``team``, created by that user."""
        user = user or cls.rep
        team = team or cls.unit
        order = (
            cls.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "user_id": user.id,
                    "team_id": team.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": amount / 1000,
                                "discount": discount,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        return order.with_env(cls.env)
