# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import format_amount

from .common import OsbCreditCommon


@tagged("post_install", "-at_install")
class TestOsbCreditCheck(OsbCreditCommon):
    def _held(self, order, reason):
        self.assertEqual(order.state, "draft", "a held order keeps its state")
        self.assertTrue(order.credit_hold)
        self.assertEqual(order.credit_hold_reason, reason)

    def test_master_data_missing_lists_everything(self):
        bare = self.env["res.partner"].create({"name": "OSB Bare", "is_company": True})
        order = self._order(bare)
        with self.assertRaises(UserError) as ctx:
            order.action_confirm()
        message = str(ctx.exception)
        for item in ("credit limit", "payment term", "salesperson (KAM)", "responsible SLT member"):
            self.assertIn(item, message)
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.credit_hold)

    def test_zero_limit_explicitly_set_is_ready_and_holds(self):
        cash = self._create_customer("OSB Cash", 0.0)
        self.assertTrue(cash.osb_credit_limit_set)
        order = self._order(cash, price=10.0)
        order.action_confirm()
        self._held(order, "limit")

    def test_limit_hold_message_and_amounts(self):
        self._order(self.customer, price=7000.0).action_confirm()
        order = self._order(self.customer, price=4000.0)
        self.assertTrue(order.action_confirm())
        self._held(order, "limit")
        self.assertRecordValues(
            order, [{"credit_hold_exposure": 11000.0, "credit_hold_limit": 10000.0, "credit_hold_amount": 4000.0}]
        )
        self.assertIn("exceeds the credit limit", order.credit_hold_message)
        self.assertIn("1,000.00", order.credit_hold_message)
        activity = order.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("osb_credit.mail_activity_type_credit_hold")
        )
        self.assertIn(self.credit_manager, activity.user_id)
        # Exactly at the limit passes.
        order.order_line.price_unit = 3000.0
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.credit_hold)
        self.assertFalse(order.activity_ids.filtered(lambda a: a.activity_type_id.name == "Credit Hold"))

    def _due_days_ago(self, invoice, days):
        """Move the posted invoice's due date to ``days`` ago (reset, edit, post)."""
        invoice.button_draft()
        invoice.write({"invoice_date_due": self.today - timedelta(days=days)})
        invoice.action_post()

    def _confirm_within_then_beyond(self, customer, tolerance, message):
        """An invoice of 100 overdue ``tolerance`` days: an order of ``customer``
        confirms (``message`` if not). One day later, the next order is held for
        overdue. Returns the invoice and the held order."""
        invoice = self._invoice(customer, 100.0, days_ago=tolerance)
        order = self._order(customer, price=10.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale", message)
        self._due_days_ago(invoice, tolerance + 1)
        held = self._order(customer, price=10.0)
        held.action_confirm()
        self._held(held, "overdue")
        return invoice, held

    def test_overdue_beyond_grade_tolerance(self):
        customer = self._create_customer("OSB Late", 100000.0)
        customer.osb_credit_grade = "B"
        invoice, order2 = self._confirm_within_then_beyond(customer, 15, "15 days overdue is within grade B tolerance")
        self.assertEqual(order2.credit_hold_overdue_days, 16)
        self.assertIn("overdue 16 days, beyond the tolerance of 15 days of grade B", order2.credit_hold_message)
        overdue_amount = format_amount(self.env, 100.0, self.company.currency_id)
        self.assertIn(f"(overdue receivables {overdue_amount})", order2.credit_hold_message)
        # Grade D: no tolerance at all.
        customer.osb_credit_grade = "D"
        self._due_days_ago(invoice, 1)
        order3 = self._order(customer, price=10.0)
        order3.action_confirm()
        self._held(order3, "overdue")

    def test_manual_block_and_grade_e(self):
        customer = self._create_customer("OSB Blocked", 100000.0)
        customer.write({"osb_credit_blocked": True, "osb_credit_block_reason": "Dispute"})
        order = self._order(customer, price=10.0)
        order.action_confirm()
        self._held(order, "blocked")
        self.assertIn("blocked by credit control: Dispute", order.credit_hold_message)
        customer.write({"osb_credit_blocked": False, "osb_credit_grade": "E"})
        order.action_confirm()
        self._held(order, "grade_e")
        self.assertIn("credit grade E", order.credit_hold_message)

    def test_no_grade_uses_the_grade_e_tolerance_but_is_not_held_as_grade_e(self):
        customer = self._create_customer("OSB Ungraded", 100000.0)
        self.assertFalse(customer.osb_credit_grade)
        self.policy.tolerance_e = 5
        _invoice, order2 = self._confirm_within_then_beyond(
            customer, 5, "not rated yet is not grade E; 5 days is within the E tolerance"
        )
        self.assertIn("beyond the tolerance of 5 days of grade -", order2.credit_hold_message)

    def test_release_and_recheck_on_increase_duplicate_edit(self):
        order = self._order(self.customer, price=12000.0)
        order.action_confirm()
        self._held(order, "limit")
        with self.assertRaises(AccessError):
            self.env["osb.credit.release"].with_user(self.salesman).sudo().create(
                {"order_id": order.id, "reason": "please"}
            )
        release = (
            self.env["osb.credit.release"]
            .with_user(self.credit_manager)
            .create({"order_id": order.id, "reason": "Guarantee received"})
        )
        self.assertRecordValues(
            release,
            [
                {
                    "user_id": self.credit_manager.id,
                    "released_amount": 12000.0,
                    "valid_until": self.today + timedelta(days=self.policy.release_validity_days),
                    "reason": "Guarantee received",
                }
            ],
        )
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.credit_hold)
        with self.assertRaises(AccessError):
            release.with_user(self.credit_manager).write({"released_amount": 99999.0})
        with self.assertRaises(AccessError):
            release.with_user(self.credit_manager).unlink()
        # Increase beyond the released amount: re-check, refused.
        with self.assertRaises(UserError):
            order.order_line.write({"product_uom_qty": 2, "price_unit": 12000.0})
        # A decrease stays allowed.
        order.order_line.price_unit = 11000.0
        # Duplicate: no hold, no release, checked again.
        copy = order.copy()
        self.assertFalse(copy.credit_hold or copy.osb_credit_release_ids)
        copy.action_confirm()
        self._held(copy, "limit")
        # Adding a line to a confirmed order re-checks too.
        with self.assertRaises(UserError):
            order.write({"order_line": [Command.create({"product_id": self.service.id, "price_unit": 5000.0})]})

    def test_edit_after_confirmation_rechecks(self):
        order = self._order(self.customer, price=9000.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        order.order_line.price_unit = 9500.0  # still within 10,000
        with self.assertRaises(UserError) as ctx:
            order.order_line.price_unit = 10500.0
        self.assertIn("exceeds the credit limit", str(ctx.exception))

    def test_expired_or_short_release_does_not_cover(self):
        order = self._order(self.customer, price=12000.0)
        order.action_confirm()
        with self.assertRaises(UserError):
            self.env["osb.credit.release"].with_user(self.credit_manager).create(
                {"order_id": order.id, "reason": "partial", "released_amount": 11000.0}
            )
        self.assertTrue(order.credit_hold)
        self.assertFalse(order.osb_credit_release_ids)

    def test_no_bypass_by_state_write_create_or_context(self):
        order = self._order(self.customer, price=12000.0)
        with self.assertRaises(UserError):
            order.with_user(self.salesman).write({"state": "sale"})
        with self.assertRaises(UserError):
            self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "state": "sale",
                    "order_line": [Command.create({"product_id": self.service.id, "price_unit": 12000.0})],
                }
            )
        order.with_context(skip_credit_check=True, osb_credit_skip=True).action_confirm()
        self._held(order, "limit")
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).write({"credit_hold": False})
        self.assertEqual(order.osb_credit_partner_id, self.customer)

    def test_confirming_write_checks_the_order_as_written(self):
        rich = self._create_customer("OSB Rich", 100000.0)
        small = self._create_customer("OSB Small Limit", 1000.0)
        small_limit = format_amount(self.env, 1000.0, self.company.currency_id)
        for vals in ({"partner_invoice_id": small.id}, {"partner_id": small.id}):
            order = self._order(rich, price=5000.0)
            with self.assertRaises(UserError) as ctx:
                order.write(dict(vals, state="sale"))
            self.assertIn(f"exceeds the credit limit {small_limit}", str(ctx.exception))
            self.assertRecordValues(
                order, [{"state": "draft", "partner_id": rich.id, "osb_credit_partner_id": rich.id}]
            )
        # The rate written with the confirmation counts: 5,000 at 0.01 is 500,000 in company currency.
        with self.assertRaises(UserError):
            order.write({"state": "sale", "currency_rate": 0.01})
        self.assertRecordValues(order, [{"state": "draft", "currency_rate": 1.0}])
        # A write that passes confirms and records the amount checked for the new customer.
        other = self._order(small, price=5000.0)
        other.write({"state": "sale", "partner_id": rich.id})
        self.assertRecordValues(
            other, [{"state": "sale", "osb_credit_partner_id": rich.id, "osb_credit_checked_amount": 5000.0}]
        )

    def test_confirmation_counts_the_order_at_the_confirmation_rate(self):
        # Rates per company currency unit: 3.0 in 2016, 2.0 from 2017, 1.0 before 2016.
        eur = self.setup_other_currency("EUR")
        pricelist = self.env["product.pricelist"].create({"name": "OSB EUR", "currency_id": eur.id})
        order = self._order(self.customer, price=24000.0, pricelist_id=pricelist.id, date_order="2016-06-01")
        self.assertAlmostEqual(order._osb_amount_company(), 8000.0)
        with self.assertRaises(UserError):
            order.write({"state": "sale", "date_order": "2010-01-01"})
        self.assertEqual(order.state, "draft")
        # Confirming dates the order today: 24,000 at 2.0 is 12,000, over the limit of 10,000.
        with self.assertRaises(UserError) as ctx:
            order.action_confirm()
        self.assertIn("exceeds the credit limit", str(ctx.exception))
        self.assertRecordValues(order, [{"state": "draft", "currency_rate": 3.0}])
        order.order_line.price_unit = 15000.0
        order.action_confirm()
        self.assertRecordValues(order, [{"state": "sale", "currency_rate": 2.0, "osb_credit_checked_amount": 7500.0}])

    def test_customer_change_of_a_confirmed_order_rechecks(self):
        rich = self._create_customer("OSB Rich", 100000.0)
        rich_too = self._create_customer("OSB Rich Too", 100000.0)
        small = self._create_customer("OSB Small Limit", 1000.0)
        order = self._order(rich, price=5000.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # The invoice address follows the customer: the new customer's credit is checked.
        with self.assertRaises(UserError) as ctx:
            order.write({"partner_id": small.id})
        self.assertIn("exceeds the credit limit", str(ctx.exception))
        self.assertRecordValues(order, [{"partner_id": rich.id, "osb_credit_partner_id": rich.id}])
        # A lower rate is a larger amount in company currency: 500,000 here.
        with self.assertRaises(UserError):
            order.write({"currency_rate": 0.01})
        self.assertEqual(order.currency_rate, 1.0)
        order.write({"partner_id": rich_too.id})
        self.assertRecordValues(order, [{"osb_credit_partner_id": rich_too.id, "osb_credit_checked_amount": 5000.0}])

    def test_release_does_not_follow_the_order_to_another_customer(self):
        blocked = self._create_customer("OSB Blocked Elsewhere", 100000.0, osb_credit_blocked=True)
        order = self._order(self.customer, price=12000.0)
        order.action_confirm()
        self._held(order, "limit")
        self.env["osb.credit.release"].with_user(self.credit_manager).create(
            {"order_id": order.id, "reason": "Guarantee received"}
        )
        self.assertEqual(order.state, "sale")
        with self.assertRaises(UserError) as ctx:
            order.write({"partner_id": blocked.id})
        self.assertIn("blocked by credit control", str(ctx.exception))
        self.assertEqual(order.osb_credit_partner_id, self.customer)

    def test_invoice_address_change_of_a_confirmed_order_rechecks(self):
        rich = self._create_customer("OSB Rich", 100000.0)
        small = self._create_customer("OSB Small Limit", 1000.0)
        order = self._order(rich, price=5000.0)
        order.action_confirm()
        self.assertEqual(order.partner_invoice_id, rich)
        billing = self.env["res.partner"].create({"name": "OSB Rich Billing", "parent_id": rich.id, "type": "invoice"})
        small_billing = self.env["res.partner"].create(
            {"name": "OSB Small Billing", "parent_id": small.id, "type": "invoice"}
        )
        with self.assertRaises(UserError) as ctx:
            order.write({"partner_invoice_id": small_billing.id})
        self.assertIn("exceeds the credit limit", str(ctx.exception))
        self.assertRecordValues(order, [{"partner_invoice_id": rich.id, "osb_credit_partner_id": rich.id}])
        # Another invoice address of the same customer uses the same credit.
        order.write({"partner_invoice_id": billing.id})
        self.assertRecordValues(order, [{"partner_invoice_id": billing.id, "osb_credit_partner_id": rich.id}])

    def test_cancel_lifts_the_hold(self):
        order = self._order(self.customer, price=12000.0, user_id=self.salesman.id)
        order.action_confirm()
        self._held(order, "limit")
        hold_type = self.env.ref("osb_credit.mail_activity_type_credit_hold")
        self.assertTrue(order.activity_ids.filtered(lambda a: a.activity_type_id == hold_type))
        order.with_user(self.salesman).action_cancel()
        self.assertRecordValues(order, [{"state": "cancel", "credit_hold": False, "credit_hold_reason": False}])
        self.assertIn("exceeds the credit limit", order.credit_hold_message, "the last check stays for reference")
        self.assertFalse(order.activity_ids.filtered(lambda a: a.activity_type_id == hold_type))
        self.assertNotIn(order, self.env["sale.order"].search([("credit_hold", "=", True)]))

    def test_cancelled_order_is_checked_again_in_the_same_transaction(self):
        order = self._order(self.customer, price=1000.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        order._action_cancel()
        order.action_draft()
        order.order_line.price_unit = 12000.0
        with self.assertRaises(UserError):
            order.write({"state": "sale"})
        self.assertEqual(order.state, "draft")

    def test_batch_counts_earlier_orders_of_the_batch(self):
        first = self._order(self.customer, price=6000.0)
        second = self._order(self.customer, price=6000.0)
        (first | second).action_confirm()
        self.assertEqual(first.state, "sale")
        self._held(second, "limit")

    def test_confirmation_records_the_checked_amount_of_each_order(self):
        single = self._order(self.customer, price=1200.0)
        single.action_confirm()
        self.assertEqual(single.osb_credit_checked_amount, 1200.0)
        first = self._order(self.customer, price=1000.0)
        second = self._order(self.customer, price=2500.0)
        (first | second).action_confirm()
        self.assertEqual((first | second).mapped("state"), ["sale", "sale"])
        self.assertEqual(first.osb_credit_checked_amount, 1000.0)
        self.assertEqual(second.osb_credit_checked_amount, 2500.0)

    def test_mass_release_wizard(self):
        orders = self._order(self.customer, price=11000.0) | self._order(self.customer, price=12000.0)
        orders.action_confirm()
        self.assertTrue(all(orders.mapped("credit_hold")))
        wizard = (
            self.env["osb.credit.release.wizard"]
            .with_user(self.credit_manager)
            .with_context(active_model="sale.order", active_ids=orders.ids)
            .create({"reason": "Bank guarantee"})
        )
        wizard.action_release()
        self.assertEqual(orders.mapped("state"), ["sale", "sale"])
        self.assertEqual(len(orders.osb_credit_release_ids), 2)
        with self.assertRaises(AccessError):
            self.env["osb.credit.release.wizard"].with_user(self.salesman).create({"reason": "x"})

    def test_delivery_check_and_invoicing_of_shipped_goods(self):
        customer = self._create_customer("OSB Ship", 100000.0)
        order = self._order(customer, self.goods, qty=5, price=100.0)
        order.action_confirm()
        picking = order.picking_ids
        customer.osb_credit_blocked = True
        picking.move_ids.write({"quantity": 2, "picked": True})
        with self.assertRaises(UserError) as ctx:
            picking._action_done()
        self.assertIn("blocked", str(ctx.exception))
        customer.osb_credit_blocked = False
        picking._action_done()
        self.assertEqual(order.order_line.qty_delivered, 2)
        # Blocked again, and overdue: the delivered goods can still be invoiced.
        customer.osb_credit_blocked = True
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertAlmostEqual(invoice.amount_total, 220.0)
        # Overdue beyond tolerance stops the backorder.
        customer.osb_credit_blocked = False
        self._invoice(customer, 50.0, days_ago=3)
        backorder = order.picking_ids - picking
        backorder.move_ids.write({"quantity": 3, "picked": True})
        with self.assertRaises(UserError) as ctx:
            backorder._action_done()
        self.assertIn("overdue", str(ctx.exception))

    def test_banner_replaces_odoo_warning(self):
        self.company.account_use_credit_limit = True
        order = self._order(self.customer, price=12000.0)
        self.assertFalse(order.partner_credit_warning)
        self.assertIn("exceeds the credit limit", order.osb_credit_banner)
        self.assertIn("This order", order.osb_credit_banner)
        self.assertIn("Exposure", self.customer.osb_credit_banner)

    def test_company_without_policy_is_not_controlled(self):
        company_b = self.setup_other_company()["company"]
        bare = self.env["res.partner"].create({"name": "OSB Bare B", "is_company": True})
        order = (
            self.env["sale.order"]
            .with_company(company_b)
            .create(
                {
                    "partner_id": bare.id,
                    "company_id": company_b.id,
                    "order_line": [Command.create({"product_id": self.service.id, "price_unit": 5.0})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
