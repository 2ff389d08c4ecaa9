# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import HIERARCHY, SalesTeamMgmtCommon


@tagged("post_install", "-at_install")
class TestHierarchyVisibility(SalesTeamMgmtCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_unit = cls._create_order(1000, user=cls.rep, team=cls.unit)
        cls.order_region2 = cls._create_order(1000, user=cls.rep2, team=cls.region2)
        cls.order_market2 = cls._create_order(1000, user=cls.mm2, team=cls.market2)
        cls.orders = cls.order_unit | cls.order_region2 | cls.order_market2
        cls.lead_unit = cls.env["crm.lead"].create({"name": "STM lead", "team_id": cls.unit.id, "user_id": cls.rep.id})
        cls.lead_market2 = cls.env["crm.lead"].create({"name": "STM lead 2", "team_id": cls.market2.id})

    def _visible(self, user, model="sale.order", records=None):
        records = records if records is not None else self.orders
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def test_rep_sees_own_orders_only(self):
        self.assertEqual(self._visible(self.rep), self.order_unit)
        self.assertEqual(self._visible(self.rep2), self.order_region2)

    def test_region_manager_sees_region_subtree_only(self):
        self.assertEqual(self._visible(self.rm), self.order_unit)
        self.assertEqual(self._visible(self.rm2), self.order_region2)
        self.assertEqual(self._visible(self.rm, "sale.order.line", self.orders.order_line), self.order_unit.order_line)
        self.assertEqual(self._visible(self.rm, "crm.lead", self.lead_unit | self.lead_market2), self.lead_unit)
        with self.assertRaises(AccessError):
            self.order_region2.with_user(self.rm).read(["name"])

    def test_market_manager_and_slt_member_see_the_market(self):
        east = self.order_unit | self.order_region2
        self.assertEqual(self._visible(self.mm), east)
        self.assertEqual(self._visible(self.director), east)
        self.assertEqual(self._visible(self.mm2), self.order_market2)
        self.assertEqual(self._visible(self.gm), self.orders)  # the SLT is the root of the tree
        report = self.env["sale.report"].with_user(self.mm).search([("name", "in", self.orders.mapped("name"))])
        self.assertEqual(set(report.mapped("name")), set(east.mapped("name")))

    def test_reorganisation_applies_at_once(self):
        self.assertEqual(self._visible(self.mm), self.order_unit | self.order_region2)
        self.region2.parent_id = self.market2
        self.assertEqual(self._visible(self.mm), self.order_unit)
        self.assertEqual(self._visible(self.mm2), self.order_region2 | self.order_market2)
        # A new leader sees the team at once, the former one no longer does.
        newcomer = new_test_user(self.env, login="stm_t_newcomer", groups=HIERARCHY)
        self.assertFalse(self._visible(newcomer))
        self.region.user_id = newcomer
        self.assertEqual(self._visible(newcomer), self.order_unit)
        self.assertFalse(self._visible(self.rm))

    def test_write_own_unit_only(self):
        # The market manager reads the unit's order but cannot edit it.
        self.assertEqual(self.order_unit.with_user(self.mm).name, self.order_unit.name)
        with self.assertRaises(AccessError):
            self.order_unit.with_user(self.mm).write({"note": "Edited by the market manager"})
        with self.assertRaises(AccessError):
            self.order_unit.order_line.with_user(self.mm).write({"name": "Edited"})
        # The unit manager edits the orders of his own unit.
        self.order_unit.with_user(self.um).write({"client_order_ref": "PO-1"})
        self.assertEqual(self.order_unit.client_order_ref, "PO-1")

    def test_customer_invoices(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "team_id": self.region2.id,
                "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": 10})],
            }
        )
        self.assertEqual(self._visible(self.mm, "account.move", invoice), invoice)
        self.assertFalse(self._visible(self.rm, "account.move", invoice))
        self.assertEqual(self._visible(self.rm2, "account.move", invoice), invoice)
        with self.assertRaises(AccessError):
            invoice.with_user(self.mm).write({"ref": "edited"})

    def test_new_and_archived_sub_teams(self):
        # Warm the rule cache of the market manager, then grow the tree under his market.
        self.assertEqual(self._visible(self.mm), self.order_unit | self.order_region2)
        new_unit = self.env["crm.team"].create(
            {"name": "New unit", "team_type": "unit", "parent_id": self.region2.id, "company_id": self.company.id}
        )
        order = self._create_order(1000, user=self.rep2, team=new_unit)
        self.assertEqual(self._visible(self.mm, records=order), order)
        self.assertEqual(self._visible(self.rm2, records=order), order)
        # Archiving a team does not hide its history from the managers above it.
        new_unit.active = False
        self.assertEqual(self._visible(self.mm, records=order), order)
