# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import new_test_user, tagged

from .common import OsbCreditCommon


@tagged("post_install", "-at_install")
class TestOsbCreditPartnerButtons(OsbCreditCommon):
    """The customer form's smart buttons: exposure, credit holds, releases and
    ratings, counted for the commercial partner in one grouped query per model,
    and each opening its records."""

    FIELDS = ("osb_exposure_amount", "osb_credit_hold_count", "osb_credit_release_count", "osb_credit_rating_count")

    def _buttons(self, partner, user=None):
        partner = partner.with_user(user) if user else partner
        partner.invalidate_recordset(list(self.FIELDS))
        return partner.web_read({name: {} for name in self.FIELDS})[0]

    def test_counts_and_actions(self):
        customer = self._create_customer("OSB Buttons Customer", 10000.0)
        contact = self.env["res.partner"].create({"name": "OSB Buttons Contact", "parent_id": customer.id})
        self.assertEqual(
            self._buttons(customer),
            {
                "id": customer.id,
                "osb_exposure_amount": 0.0,
                "osb_credit_hold_count": 0,
                "osb_credit_release_count": 0,
                "osb_credit_rating_count": 0,
            },
        )
        held = self._order(customer, price=12000.0)
        held.action_confirm()
        second = self._order(contact, price=11000.0)
        second.action_confirm()
        self.assertTrue(held.credit_hold and second.credit_hold)
        self.env["osb.credit.release"].with_user(self.credit_manager).create(
            {"order_id": held.id, "reason": "Bank guarantee"}
        )
        self.env["osb.credit.rating"]._cron_monthly_rating()
        self.env["osb.credit.exposure"]._refresh(customer, self.company)
        for partner in (customer, contact):
            figures = self._buttons(partner)
            self.assertEqual(figures["osb_credit_hold_count"], 1, "the released order is no longer held")
            self.assertEqual(figures["osb_credit_release_count"], 1)
            self.assertEqual(figures["osb_credit_rating_count"], 1)
            self.assertEqual(figures["osb_exposure_amount"], 12000.0, "the released order counts in the exposure")
        action = contact.action_osb_view_credit_holds()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), second)
        self.assertIn("OSB Buttons Customer", action["display_name"])
        action = customer.action_osb_view_credit_releases()
        self.assertEqual(self.env["osb.credit.release"].search(action["domain"]).order_id, held)
        action = customer.action_osb_view_credit_ratings()
        self.assertEqual(self.env["osb.credit.rating.line"].search(action["domain"]).partner_id, customer)

    def test_counts_follow_the_record_rules_and_batch(self):
        customer = self._create_customer("OSB Buttons Rules", 10000.0)
        other_rep = new_test_user(
            self.env, login="osb_t_buttons_rep", groups="sales_team.group_sale_salesman", company_id=self.company.id
        )
        self._order(customer, price=12000.0).action_confirm()
        # The customer's own salesperson sees the hold; another rep does not.
        self.assertEqual(self._buttons(customer, self.salesman)["osb_credit_hold_count"], 1)
        self.assertEqual(self._buttons(customer, other_rep)["osb_credit_hold_count"], 0)
        # A user without access to orders gets zeros, not an access error.
        clerk = new_test_user(
            self.env, login="osb_t_buttons_clerk", groups="base.group_user", company_id=self.company.id
        )
        self.assertEqual(self._buttons(customer, clerk)["osb_credit_hold_count"], 0)
        # One query per model whatever the number of customers.
        partners = self.env["res.partner"].create([{"name": f"OSB Buttons {i}"} for i in range(5)])

        def queries(records):
            self.env.flush_all()
            records.invalidate_recordset(list(self.FIELDS))
            before = self.cr.sql_log_count
            records.mapped("osb_credit_hold_count")
            return self.cr.sql_log_count - before

        queries(partners[:1])  # warm the access and rule caches
        one = queries(partners[:1])
        self.assertEqual(queries(partners), one)
        self.assertLessEqual(one, 6)
