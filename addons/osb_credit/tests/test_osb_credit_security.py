# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import OsbCreditCommon


@tagged("post_install", "-at_install")
class TestOsbCreditSecurity(OsbCreditCommon):
    def test_only_credit_managers_change_credit_fields(self):
        partner = self.customer.with_user(self.salesman)
        for vals in (
            {"credit_limit": 99999.0},
            {"osb_credit_grade": "A"},
            {"osb_credit_blocked": True},
            {"osb_credit_block_reason": "x"},
            {"osb_credit_limit_set": False},
        ):
            with self.assertRaises(AccessError):
                partner.write(vals)
        partner.write({"phone": "123"})  # other fields stay editable
        self.customer.with_user(self.credit_manager).write({"credit_limit": 12000.0})
        self.assertEqual(self.customer.credit_limit, 12000.0)
        self.assertIn("12,000.00", self.customer.message_ids[0].body)
        with self.assertRaises(AccessError):
            self.env["osb.credit.adjustment"].with_user(self.salesman).create(
                {"partner_id": self.customer.id, "amount": 1.0, "reason": "x"}
            )
        with self.assertRaises(AccessError):
            self.policy.with_user(self.salesman).write({"tolerance_a": 90})
        self.assertTrue(self.customer.osb_credit_limit_set)

    def test_adjustment_author_is_kept(self):
        adjustment = (
            self.env["osb.credit.adjustment"]
            .with_user(self.credit_manager)
            .create({"partner_id": self.customer.id, "amount": 1000.0, "reason": "Bank guarantee"})
        )
        self.assertEqual(adjustment.user_id, self.credit_manager)
        with self.assertRaises(UserError):
            adjustment.with_user(self.credit_manager).write({"user_id": self.env.user.id})
        self.assertEqual(adjustment.user_id, self.credit_manager)
        adjustment.with_user(self.credit_manager).write({"reason": "Bank guarantee renewed"})
        adjustment.sudo().write({"user_id": self.env.user.id})
        self.assertEqual(adjustment.user_id, self.env.user)

    def test_everyone_reads(self):
        order = self._order(self.customer, price=12000.0)
        order.action_confirm()
        self.env["osb.credit.exposure"]._refresh(self.customer, self.company)
        exposure = (
            self.env["osb.credit.exposure"].with_user(self.salesman).search([("partner_id", "=", self.customer.id)])
        )
        self.assertFalse(exposure.over_limit, "a held order does not count in the exposure")
        self.assertEqual(exposure.held_order_count, 1)
        self.assertEqual(exposure.credit_limit, 10000.0)
        self.assertTrue(order.with_user(self.salesman).credit_hold)

    def test_multi_company_rule(self):
        company_b = self.setup_other_company()["company"]
        self.env["osb.credit.policy"]._get_policy(company_b)
        self.env["osb.credit.exposure"]._refresh(self.customer, company_b)
        self.env["osb.credit.exposure"]._refresh(self.customer, self.company)
        user_a = new_test_user(
            self.env, login="osb_t_user_a", groups="osb_credit.group_osb_credit_user", company_id=self.company.id
        )
        records = self.env["osb.credit.exposure"].with_user(user_a).search([("partner_id", "=", self.customer.id)])
        self.assertEqual(records.company_id, self.company)
