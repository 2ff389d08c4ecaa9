# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import OsbCreditCommon


@tagged("post_install", "-at_install")
class TestOsbCreditBadInput(OsbCreditCommon):
    def test_negative_credit_limit_is_refused(self):
        with self.assertRaises(ValidationError) as ctx:
            self.customer.write({"credit_limit": -5000.0, "comment": "half-written?"})
        self.assertEqual(
            str(ctx.exception),
            "Credit Limit: the credit limit of OSB Customer cannot be negative (-5,000.00); 0 means no credit.",
        )
        self.assertRecordValues(self.customer, [{"credit_limit": 10000.0, "comment": False}])
        with self.assertRaises(ValidationError):
            self._create_customer("OSB Negative", -0.01)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "OSB Negative")]))
        self.customer.credit_limit = 0.0
        self.assertEqual(self.customer.credit_limit, 0.0)

    def test_release_is_for_held_orders_only(self):
        Release = self.env["osb.credit.release"].with_user(self.credit_manager)
        quotation = self._order(self.customer, price=1000.0)
        confirmed = self._order(self.customer, price=1000.0)
        confirmed.action_confirm()
        self.assertEqual(confirmed.state, "sale")
        for order in (quotation, confirmed):
            with self.assertRaises(ValidationError) as ctx:
                Release.create({"order_id": order.id, "reason": "Just in case"})
            self.assertIn(f"Order: {order.name} is not on credit hold", str(ctx.exception))
        self.assertFalse((quotation | confirmed).osb_credit_release_ids)
        # The quotation then goes over the limit: no release pre-dated it, it is held.
        quotation.order_line.price_unit = 12000.0
        quotation.action_confirm()
        self.assertRecordValues(quotation, [{"state": "draft", "credit_hold": True}])

    def test_stored_flag_and_hold_agree_at_the_limit(self):
        Exposure = self.env["osb.credit.exposure"]
        at_limit = self._order(self.customer, price=10000.0)
        at_limit.action_confirm()
        self.assertEqual(at_limit.state, "sale")
        record = Exposure._refresh(self.customer, self.company)
        self.assertRecordValues(record, [{"exposure": 10000.0, "credit_limit": 10000.0, "over_limit": False}])
        over = self._order(self.customer, price=0.01)
        over.action_confirm()
        self.assertRecordValues(over, [{"state": "draft", "credit_hold": True, "credit_hold_reason": "limit"}])
        self.env["osb.credit.release"].with_user(self.credit_manager).create({"order_id": over.id, "reason": "ok"})
        record = Exposure._refresh(self.customer, self.company)
        self.assertRecordValues(record, [{"exposure": 10000.01, "over_limit": True}])

    def test_stored_flag_and_hold_agree_on_float_sums(self):
        # 0.1 + 0.2 is 0.30000000000000004 in floats: at the limit, not over it.
        customer = self._create_customer("OSB Tiny Limit", 0.3)
        for price in (0.1, 0.2):
            order = self._order(customer, price=price)
            order.action_confirm()
            self.assertRecordValues(order, [{"state": "sale", "credit_hold": False}])
        record = self.env["osb.credit.exposure"]._refresh(customer, self.company)
        self.assertAlmostEqual(record.exposure, 0.3)
        self.assertFalse(record.over_limit)
