# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.osb_credit.tests.common import OsbCreditCommon


@tagged("post_install", "-at_install")
class TestConfirmationCheck(OsbCreditCommon):
    """The embargo check of this module joins the confirmation pipeline by override alone."""

    def test_pipeline_lists_the_checks_in_order(self):
        codes = [code for _seq, code, _method in sorted(self.env["sale.order"]._get_confirmation_checks())]
        self.assertEqual(codes, ["authority", "credit", "embargo", "quota"])

    def test_embargo_holds_then_passes(self):
        self.customer.seams_embargo = True
        order = self._order(self.customer, price=1000.0)
        self.assertIs(order.action_confirm(), True)
        self.assertRecordValues(
            order,
            [
                {
                    "state": "draft",
                    "seams_embargo_hold": True,
                    "credit_hold": False,
                    "confirmation_hold_message": f"{order.name}: customer OSB Customer is under embargo.",
                }
            ],
        )
        # The order form shows it in a banner while the order is a quotation.
        arch = order.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="confirmation_holds"', arch)
        self.assertIn("not confirmation_hold_message or state not in", arch)
        self.customer.seams_embargo = False
        order.action_confirm()
        self.assertRecordValues(
            order, [{"state": "sale", "seams_embargo_hold": False, "confirmation_hold_message": False}]
        )

    def test_every_check_that_fired_is_shown(self):
        self.customer.seams_embargo = True
        order = self._order(self.customer, price=12000.0)  # over the limit of 10,000
        order.action_confirm()
        self.assertRecordValues(
            order, [{"state": "draft", "seams_embargo_hold": True, "credit_hold": True, "credit_hold_reason": "limit"}]
        )
        lines = order.confirmation_hold_message.split("\n")
        self.assertEqual(len(lines), 2)
        self.assertIn("exceeds the credit limit", lines[0])
        self.assertEqual(lines[1], f"{order.name}: customer OSB Customer is under embargo.")
        # The chatter says it once, with every check that fired; a second Confirm
        # that fires the same checks says nothing more.
        notes = order.message_ids.filtered(lambda m: "Not confirmed by" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("exceeds the credit limit", notes.body)
        self.assertIn("is under embargo", notes.body)
        order.action_confirm()
        self.assertEqual(len(order.message_ids.filtered(lambda m: "Not confirmed by" in (m.body or ""))), 1)

    def test_direct_state_write_and_confirmed_create_are_refused(self):
        self.customer.seams_embargo = True
        order = self._order(self.customer, price=1000.0)
        with self.assertRaises(UserError) as ctx:
            order.write({"state": "sale"})
        self.assertEqual(str(ctx.exception), f"{order.name}: customer OSB Customer is under embargo.")
        self.assertEqual(order.state, "draft")
        count = self.env["sale.order"].search_count([])
        with self.assertRaises(UserError) as ctx:
            self._order(self.customer, price=1000.0, state="sale")
        self.assertRegex(str(ctx.exception), r"^S\d+: customer OSB Customer is under embargo\.$")
        self.assertEqual(self.env["sale.order"].search_count([]), count)
        # Two refusals: one line each, in the pipeline's order.
        self.customer.seams_embargo = False
        self.env["res.partner"].browse(self.customer.id).osb_credit_blocked = True
        self.customer.seams_embargo = True
        with self.assertRaises(UserError) as ctx:
            order.write({"state": "sale"})
        lines = str(ctx.exception).split("\n")
        self.assertEqual(lines[0], f"{order.name} cannot be confirmed:")
        self.assertIn("is blocked by credit control", lines[1])
        self.assertEqual(lines[2], f"{order.name}: customer OSB Customer is under embargo.")
        self.assertEqual(len(lines), 3)
        self.assertEqual(order.state, "draft")

    def test_recheck_joins_the_pipeline(self):
        rechecks = [code for _seq, code, _method in sorted(self.env["sale.order"]._get_confirmation_rechecks())]
        self.assertEqual(rechecks, ["authority", "credit", "embargo", "quota"])
        order = self._order(self.customer, price=1000.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        embargoed = self._create_customer("Embargoed Customer", 10000.0, seams_embargo=True)
        with self.assertRaises(UserError) as ctx:
            order.write({"partner_id": embargoed.id})
        self.assertEqual(str(ctx.exception), f"{order.name}: customer Embargoed Customer is under embargo.")
        self.assertEqual(order.partner_id, self.customer)
        # A change the re-check does not watch, and a quotation, pass.
        order.write({"client_order_ref": "PO-1"})
        quotation = self._order(self.customer, price=1000.0)
        quotation.write({"partner_id": embargoed.id})
        self.assertEqual(quotation.partner_id, embargoed)
