# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command
from odoo.tests import new_test_user, tagged

from .common_tours import SalesTourCase

HIERARCHY = "sales_team_mgmt.group_sales_team_mgmt_hierarchy"


@tagged("post_install", "-at_install")
class TestSalesTeamMgmtTours(SalesTourCase):
    """Browser tours (static/tests/tours/sales_team_mgmt_tours.js) on their own
    organisation: SLT -> Market East (Region Shanghai -> Unit Pudong) and Market North.
    The unit leader may approve 200,000, his rep 50,000."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Role = cls.env["sales.role"]
        role_mm = Role.create(
            {"name": "Tour Market Role", "code": "TOUR-MM", "sequence": 2, "max_order_amount": 500000}
        )
        role_rm = Role.create(
            {"name": "Tour Region Manager", "code": "TOUR-RM", "sequence": 3, "max_order_amount": 300000}
        )
        role_um = Role.create({"name": "Tour Unit Role", "code": "TOUR-UM", "sequence": 4, "max_order_amount": 200000})
        role_rep = Role.create({"name": "Tour Rep Role", "code": "TOUR-REP", "sequence": 5, "max_order_amount": 50000})

        def user(login, groups=HIERARCHY):
            return new_test_user(cls.env, login=login, groups=groups, name=login.replace("_", " ").title())

        cls.gm = user("tour_gm")
        cls.mm = user("tour_mm")
        cls.rm = user("tour_rm")
        cls.um = user("tour_um")
        cls.rep = user("tour_rep", "sales_team.group_sale_salesman")
        cls.sales_admin = user("tour_admin", "sales_team.group_sale_manager")
        Team = cls.env["crm.team"].with_context(default_company_id=cls.env.company.id)
        cls.slt = Team.create({"name": "Tour SLT", "code": "TOUR-SLT", "team_type": "slt", "user_id": cls.gm.id})
        cls.east = Team.create(
            {
                "name": "Tour East",
                "code": "TOUR-E",
                "team_type": "market",
                "parent_id": cls.slt.id,
                "user_id": cls.mm.id,
            }
        )
        cls.north = Team.create(
            {"name": "Tour North", "code": "TOUR-N", "team_type": "market", "parent_id": cls.slt.id}
        )
        cls.region = Team.create(
            {
                "name": "Tour Shanghai",
                "code": "TOUR-SH",
                "team_type": "region",
                "parent_id": cls.east.id,
                "user_id": cls.rm.id,
            }
        )
        cls.unit = Team.create(
            {
                "name": "Tour Pudong",
                "code": "TOUR-PD",
                "team_type": "unit",
                "parent_id": cls.region.id,
                "user_id": cls.um.id,
            }
        )
        cls.env["crm.team.member"].create(
            [
                {"crm_team_id": team.id, "user_id": member.id, "role_id": role.id}
                for team, member, role in (
                    (cls.east, cls.mm, role_mm),
                    (cls.region, cls.rm, role_rm),
                    (cls.unit, cls.um, role_um),
                    (cls.unit, cls.rep, role_rep),
                )
            ]
        )

    def test_org_chart(self):
        """Open the org chart, unfold a market, open a region."""
        self.start_tour(
            "/odoo/action-sales_team_mgmt.action_crm_team_hierarchy",
            "sales_team_mgmt_org_chart",
            login=self.sales_admin.login,
        )
        # Browsing changed nothing.
        self.assertRecordValues(self.region, [{"name": "Tour Shanghai", "parent_id": self.east.id}])

    def test_order_approval(self):
        """A rep's order above his authority waits; his unit leader approves it in the browser."""
        customer = self.env["res.partner"].create({"name": "Tour Approval Customer"})
        product = self.env["product.product"].create(
            {"name": "Tour Product", "list_price": 1000.0, "taxes_id": [Command.clear()]}
        )
        order = (
            self.env["sale.order"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": customer.id,
                    "user_id": self.rep.id,
                    "team_id": self.unit.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 150, "tax_id": [Command.clear()]})
                    ],
                }
            )
        )
        order.with_user(self.rep).action_confirm()
        self.assertRecordValues(order, [{"state": "draft", "approval_state": "to_approve", "approver_id": self.um.id}])

        self.start_tour(
            "/odoo/action-sales_team_mgmt.action_sale_order_to_approve",
            "sales_team_mgmt_order_approval",
            login=self.um.login,
        )

        order.invalidate_recordset()
        self.assertRecordValues(
            order,
            [{"state": "draft", "approval_state": "approved", "approver_id": self.um.id, "approved_amount": 150000.0}],
        )
        self.assertFalse(order.approval_activity_id)
