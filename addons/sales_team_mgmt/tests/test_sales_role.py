# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from lxml import etree
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestSalesRole(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="stm_manager", groups="sales_team_mgmt.group_sales_team_mgmt_manager"
        )
        cls.salesman = new_test_user(cls.env, login="stm_salesman", groups="sales_team.group_sale_salesman")
        cls.role = (
            cls.env["sales.role"]
            .with_user(cls.manager)
            .create({"name": "Key Account Manager", "code": "T-KAM", "max_order_amount": 100000, "max_discount": 8})
        )

    def test_display_name_and_company(self):
        self.assertEqual(self.role.display_name, "[T-KAM] Key Account Manager")
        self.assertEqual(self.role.company_id, self.env.company)

    def test_salesman_reads_but_cannot_write(self):
        role = self.role.with_user(self.salesman)
        self.assertEqual(role.max_order_amount, 100000)
        with self.assertRaises(AccessError):
            role.write({"max_order_amount": 1})
        with self.assertRaises(AccessError):
            self.env["sales.role"].with_user(self.salesman).create({"name": "X", "code": "X"})

    @mute_logger("odoo.sql_db")
    def test_negative_authority_refused(self):
        with self.assertRaises(IntegrityError):
            self.role.write({"max_order_amount": -1})
            self.role.flush_recordset()

    @mute_logger("odoo.sql_db")
    def test_discount_over_100_refused(self):
        with self.assertRaises(IntegrityError):
            self.role.write({"max_discount": 120})
            self.role.flush_recordset()

    @mute_logger("odoo.sql_db")
    def test_duplicate_code_refused(self):
        with self.assertRaises(IntegrityError):
            self.env["sales.role"].create({"name": "Other", "code": "T-KAM"})
            self.env.flush_all()

    def test_unlimited_authority_shows_unlimited(self):
        """The role list shows "Unlimited", not an amount of 0, for unlimited authority."""
        director = self.env["sales.role"].create({"name": "Director", "code": "T-DIR", "unlimited_authority": True})
        rows = (
            self.env["sales.role"]
            .browse((director | self.role).ids)
            .web_search_read([("id", "in", (director | self.role).ids)], {"max_order_amount_label": {}})["records"]
        )
        labels = {row["id"]: row["max_order_amount_label"] for row in rows}
        self.assertEqual(labels[director.id], "Unlimited")
        self.assertNotIn("0.00", labels[director.id])
        self.assertIn("100,000.00", labels[self.role.id])
        arch = self.env["sales.role"].get_view(self.env.ref("sales_team_mgmt.view_sales_role_list").id, "list")["arch"]
        fields = {node.get("name"): node for node in etree.fromstring(arch).iter("field")}
        self.assertEqual(fields["max_order_amount_label"].get("optional"), "show")
        self.assertEqual(fields["max_order_amount"].get("invisible"), "unlimited_authority")
