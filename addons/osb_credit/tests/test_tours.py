# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.sales_team_mgmt.tests.common_tours import SalesTourCase


@tagged("post_install", "-at_install")
class TestOsbCreditTours(SalesTourCase):
    """Browser tours (static/tests/tours/osb_credit_tours.js) on their own customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.env["osb.credit.policy"]._get_policy(cls.company).enforce = True
        cls.credit_manager = new_test_user(
            cls.env,
            login="osb_tour_credit_manager",
            name="Tour Credit Manager",
            groups="osb_credit.group_osb_credit_manager,sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
        )
        kam = new_test_user(cls.env, login="osb_tour_kam", groups="sales_team.group_sale_salesman")
        slt = new_test_user(cls.env, login="osb_tour_slt", groups="base.group_user")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour Credit Customer",
                "is_company": True,
                "credit_limit": 10000.0,
                "property_payment_term_id": cls.env.ref("account.account_payment_term_immediate").id,
                "user_id": kam.id,
                "osb_slt_user_id": slt.id,
            }
        )
        cls.service = cls.env["product.product"].create(
            {"name": "Tour Credit Service", "type": "service", "list_price": 1000.0, "taxes_id": [Command.clear()]}
        )

    def test_credit_release(self):
        """An order over the credit limit is held; the credit manager releases it in the browser."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create({"product_id": self.service.id, "product_uom_qty": 12, "tax_id": [Command.clear()]})
                ],
            }
        )
        order.action_confirm()
        self.assertRecordValues(
            order,
            [
                {
                    "state": "draft",
                    "credit_hold": True,
                    "credit_hold_reason": "limit",
                    "credit_hold_amount": 12000.0,
                    "credit_hold_limit": 10000.0,
                }
            ],
        )

        self.start_tour(
            "/odoo/action-osb_credit.action_sale_order_credit_hold",
            "osb_credit_release",
            login=self.credit_manager.login,
        )

        order.invalidate_recordset()
        self.assertRecordValues(order, [{"state": "sale", "credit_hold": False}])
        self.assertRecordValues(
            order.osb_credit_release_ids,
            [{"user_id": self.credit_manager.id, "reason": "Bank guarantee received", "released_amount": 12000.0}],
        )
