# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from lxml import etree

from odoo.tests import tagged

from .common import OsbCreditCommon


@tagged("post_install", "-at_install")
class TestOsbCreditBanner(OsbCreditCommon):
    """The banner of the customer and of every order states the rules of the
    credit check that fire now, as the form reads it (``web_read``)."""

    def _banner(self, record):
        record.invalidate_recordset(["osb_credit_banner"])
        return record.web_read({"osb_credit_banner": {}})[0]["osb_credit_banner"]

    def test_customer_banner_states_every_rule_that_fires(self):
        customer = self._create_customer("OSB Banner Customer", 10000.0)
        self.assertIn("Credit check passes.", self._banner(customer))
        # Over the limit: available -3,000.
        self._invoice(customer, 13000.0, days_ago=0, due_days=30)
        banner = self._banner(customer)
        self.assertNotIn("Credit check passes.", banner)
        self.assertIn("A new order of this customer goes on credit hold:", banner)
        self.assertIn("exceeds the credit limit", banner)
        self.assertNotIn("this order", banner)
        # Overdue beyond tolerance, blocked and grade E: each stated.
        self._invoice(customer, 100.0, days_ago=40)
        customer.write({"osb_credit_grade": "E", "osb_credit_blocked": True, "osb_credit_block_reason": "dispute"})
        banner = self._banner(customer)
        self.assertIn("is blocked by credit control: dispute.", banner)
        self.assertIn("has credit grade E", banner)
        self.assertIn("overdue 40 days, beyond the tolerance of 0 days", banner)
        # A contact shows its company's banner.
        contact = self.env["res.partner"].create({"name": "OSB Banner Contact", "parent_id": customer.id})
        self.assertIn("has credit grade E", self._banner(contact))

    def test_confirmed_order_banner_states_rules_firing_now(self):
        customer = self._create_customer("OSB Banner Confirmed", 10000.0)
        order = self._order(customer, price=6000.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertIn("Credit check passes.", self._banner(order))
        # The customer goes over its limit after the confirmation.
        self._invoice(customer, 5000.0, due_days=30)
        banner = self._banner(order)
        self.assertNotIn("Credit check passes.", banner)
        self.assertIn("Confirmed before these rules fired; they fire now:", banner)
        self.assertIn("exceeds the credit limit", banner)

    def test_released_order_banner_says_released_with_the_rules(self):
        customer = self._create_customer("OSB Banner Released", 10000.0)
        order = self._order(customer, price=12000.0)
        order.action_confirm()
        self.assertTrue(order.credit_hold)
        held = self._banner(order)
        self.assertIn("Credit hold:", held)
        self.assertIn("(this order", held)
        self.env["osb.credit.release"].with_user(self.credit_manager).create(
            {"order_id": order.id, "reason": "Bank guarantee"}
        )
        self.assertEqual(order.state, "sale")
        banner = self._banner(order)
        self.assertNotIn("Credit check passes.", banner)
        self.assertIn("Released by", banner)
        self.assertIn("Bank guarantee", banner)
        self.assertIn("Rules that fire now, overridden by the release:", banner)
        self.assertIn("exceeds the credit limit", banner)
        # A quotation of the customer states the rule with its own amount.
        quote = self._order(customer, price=100.0)
        self.assertIn("Confirming this order puts it on credit hold:", self._banner(quote))
        self.assertIn("(this order", self._banner(quote))

    def test_banner_rules_are_the_check_rules(self):
        """One definition: the order's rules are the exposure model's rules."""
        customer = self._create_customer("OSB Banner Same", 1000.0, osb_credit_grade="E")
        values = self._exposure(customer)
        order = self._order(customer, price=10.0)
        self.assertEqual(
            order._osb_credit_rules(values),
            self.env["osb.credit.exposure"]._credit_rules(values, self.company.currency_id),
        )
        self.assertEqual([code for code, _message in order._osb_credit_rules(values)], ["grade_e"])


@tagged("post_install", "-at_install")
class TestOsbCreditOrderTab(OsbCreditCommon):
    """The Credit tab of the order form, as the form view shows it."""

    def _page(self):
        arch = self.env["sale.order"].get_view(self.env.ref("sale.view_order_form").id, "form")["arch"]
        return etree.fromstring(arch).xpath("//page[@name='osb_credit']")[0]

    def test_credit_tab_hidden_without_credit_control_and_amounts_in_currency(self):
        page = self._page()
        self.assertEqual(page.get("invisible"), "not osb_credit_enforced")
        fields = {node.get("name"): node for node in page.iter("field")}
        self.assertIn("osb_company_currency_id", fields)
        for name in ("credit_hold_amount", "credit_hold_exposure", "credit_hold_limit", "osb_credit_checked_amount"):
            self.assertEqual(fields[name].get("widget"), "monetary", name)
            self.assertEqual(self.env["sale.order"]._fields[name].currency_field, "osb_company_currency_id")
        self.assertEqual(
            fields["osb_credit_checked_amount"].get("invisible"), "credit_hold or not osb_credit_checked_amount"
        )
        order = self._order(self.customer, price=100.0)
        self.assertTrue(order.osb_credit_enforced)
        self.policy.enforce = False
        order.invalidate_recordset(["osb_credit_enforced"])
        self.assertFalse(order.osb_credit_enforced)

    def test_checked_amount_is_what_the_check_cleared(self):
        field = self.env["sale.order"]._fields["osb_credit_checked_amount"]
        self.assertEqual(field._description_string(self.env), "Amount Cleared by Credit")
        self.assertIn("last passing credit check, or a release, cleared", field._description_help(self.env))
        held = self._order(self.customer, price=12000.0)
        held.action_confirm()
        self.assertRecordValues(
            held, [{"credit_hold": True, "credit_hold_amount": 12000.0, "osb_credit_checked_amount": 0.0}]
        )
        self.env["osb.credit.release"].with_user(self.credit_manager).create({"order_id": held.id, "reason": "Cash"})
        self.assertRecordValues(held, [{"credit_hold": False, "state": "sale", "osb_credit_checked_amount": 12000.0}])

    def test_release_dialog_has_a_title(self):
        held = self._order(self.customer, price=12000.0)
        held.action_confirm()
        action = held.with_user(self.credit_manager).action_osb_credit_release()
        self.assertEqual(action["name"], "Release Credit Holds")
        arch = self.env["osb.credit.release.wizard"].get_view(view_type="form")["arch"]
        self.assertEqual(etree.fromstring(arch).get("string"), "Release Credit Holds")
