# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import OsbCreditCommon

SSG_LEADER = "osb_credit.group_osb_ssg_leader"
SALESMAN = "sales_team.group_sale_salesman"


class OsbReturnCommon(OsbCreditCommon):
    """An order of the KAM (team East) for a customer: 10 delivery-invoiced goods at
    100 less 10 % (net 90, tax 10 %) and 4 order-invoiced goods at 50 less 20 %
    (net 40, no tax), delivered and invoiced; an SSG leader; a rep of team North."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.enforce = False
        cls.policy.return_kam_threshold = 900.0
        company = cls.company
        cls.kam = new_test_user(cls.env, login="osb_r_kam", groups=SALESMAN, name="KAM", company_id=company.id)
        cls.rep2 = new_test_user(cls.env, login="osb_r_rep2", groups=SALESMAN, name="Rep North", company_id=company.id)
        cls.ssg = new_test_user(cls.env, login="osb_r_ssg", groups=SSG_LEADER, name="SSG Leader", company_id=company.id)
        Team = cls.env["crm.team"]
        cls.team = Team.create({"name": "R East", "code": "R-E", "team_type": "market", "company_id": company.id})
        cls.team2 = Team.create({"name": "R North", "code": "R-N", "team_type": "market", "company_id": company.id})
        Member = cls.env["crm.team.member"]
        Member.create({"crm_team_id": cls.team.id, "user_id": cls.kam.id})
        Member.create({"crm_team_id": cls.team2.id, "user_id": cls.rep2.id})
        cls.customer.user_id = cls.kam
        cls.wine = cls.env["product.product"].create(
            {
                "name": "R Wine",
                "type": "consu",
                "invoice_policy": "delivery",
                "list_price": 100.0,
                "taxes_id": [Command.set(cls.tax_10.ids)],
            }
        )
        cls.glass = cls.env["product.product"].create(
            {
                "name": "R Glass",
                "type": "consu",
                "invoice_policy": "order",
                "list_price": 50.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.water = cls.env["product.product"].create({"name": "R Water", "type": "consu", "list_price": 1.0})
        cls.order = cls._delivered_order()
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()
        cls.wine_line = cls.order.order_line.filtered(lambda line: line.product_id == cls.wine)
        cls.glass_line = cls.order.order_line.filtered(lambda line: line.product_id == cls.glass)

    @classmethod
    def _delivered_order(cls):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.kam.id,
                "team_id": cls.team.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.wine.id, "product_uom_qty": 10, "price_unit": 100, "discount": 10}
                    ),
                    Command.create(
                        {"product_id": cls.glass.id, "product_uom_qty": 4, "price_unit": 50, "discount": 20}
                    ),
                ],
            }
        )
        order.action_confirm()
        cls._validate(order.picking_ids)
        return order

    @classmethod
    def _validate(cls, pickings):
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        pickings._action_done()

    @contextmanager
    def assertRaisesRollback(self, exception, regex):
        """assertRaisesRegex that rolls back what the failed call wrote, as a request does."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    def _approved(self, lines):
        """A return of ``lines`` submitted and approved by the KAM."""
        ret = self._return(lines)
        ret.with_user(self.kam).action_submit()
        ret.with_user(self.kam).action_approve()
        self.assertEqual(ret.state, "approved")
        return ret

    def _return(self, lines, user=None, **vals):
        """A return of ``lines`` [(product, quantity, reason)] on the order, made by ``user`` (the KAM)."""
        Return = self.env["osb.return"].with_user(user or self.kam)
        return Return.create(
            dict(
                {
                    "order_id": self.order.id,
                    "line_ids": [
                        Command.create({"product_id": product.id, "quantity": qty, "reason": reason})
                        for product, qty, reason in lines
                    ],
                },
                **vals,
            )
        )


@tagged("post_install", "-at_install")
class TestOsbReturnCap(OsbReturnCommon):
    def test_return_defaults_from_order(self):
        ret = self._return([(self.wine, 3, "quality")])
        self.assertRecordValues(
            ret,
            [
                {
                    "partner_id": self.customer.id,
                    "user_id": self.kam.id,
                    "team_id": self.team.id,
                    "state": "draft",
                    "amount_untaxed": 270.0,
                }
            ],
        )
        self.assertTrue(ret.name.startswith("RET/"))
        self.assertRecordValues(ret.line_ids, [{"sale_line_id": self.wine_line.id, "price_unit": 90.0}])

    def test_kam_is_the_orders_salesperson_whoever_creates(self):
        ret = self._return([(self.wine, 1, "other")], user=self.ssg)
        self.assertRecordValues(ret, [{"user_id": self.kam.id, "team_id": self.team.id}])
        self.assertEqual(ret.with_user(self.kam).read(["name"])[0]["name"], ret.name)

    def test_over_return_refused(self):
        with self.assertRaisesRollback(ValidationError, r"R Wine on S\d+: 11[.,]00 Units asked, but only 10[.,]00"):
            self._return([(self.wine, 11, "quality")])
        self.assertFalse(self.env["osb.return"].search([("order_id", "=", self.order.id)]))

    def test_pending_return_counts(self):
        self._return([(self.wine, 6, "quality")])  # draft: pending
        with self.assertRaisesRollback(
            ValidationError,
            r"5[.,]00 Units asked, but only 4[.,]00 Units can still be returned \(delivered 10[.,]00, "
            r"already returned 6[.,]00\)",
        ):
            self._return([(self.wine, 5, "expired")])
        second = self._return([(self.wine, 4, "expired")])
        self.assertEqual(second.line_ids.quantity, 4)
        # Two lines of one return on one sale line count together.
        with self.assertRaisesRollback(ValidationError, "only 0[.,]00 Units can still be returned"):
            self._return([(self.glass, 3, "other"), (self.wine, 1, "other")])

    def test_rejected_and_cancelled_returns_free_the_quantity(self):
        first = self._return([(self.wine, 10, "quality")])
        first.action_cancel()
        second = self._return([(self.wine, 10, "quality")])
        self.assertEqual(second.amount_untaxed, 900.0)
        with self.assertRaisesRollback(ValidationError, "already returned 10"):
            first.action_draft()

    def test_cap_raised_by_a_write(self):
        ret = self._return([(self.wine, 2, "quality")])
        with self.assertRaisesRollback(ValidationError, "Quantity: R Wine"):
            ret.line_ids.with_user(self.kam).write({"quantity": 12})
        self.assertEqual(ret.line_ids.quantity, 2)

    def test_bad_input_refused(self):
        with self.assertRaisesRollback(ValidationError, "Quantity: the quantity returned must be positive"):
            self._return([(self.wine, -1, "quality")])
        with self.assertRaisesRollback(ValidationError, "Quantity: the quantity returned must be positive"):
            self._return([(self.wine, 0, "quality")])
        with self.assertRaisesRollback(ValidationError, r"Product: R Water is not on the order S\d+"):
            self._return([(self.water, 1, "quality")])
        with self.assertRaisesRollback(ValidationError, "reason"):
            self._return([(self.wine, 1, "broken")])
        self.assertFalse(self.env["osb.return"].search([("order_id", "=", self.order.id)]))
        self.assertFalse(self.env["osb.return.line"].search([("sale_line_id", "in", self.order.order_line.ids)]))

    def test_sale_line_of_another_order_refused(self):
        other = self._delivered_order()
        with self.assertRaisesRollback(ValidationError, "is not on the order"):
            self.env["osb.return"].with_user(self.kam).create(
                {
                    "order_id": self.order.id,
                    "line_ids": [Command.create({"sale_line_id": other.order_line[0].id, "quantity": 1})],
                }
            )

    def test_cap_in_one_aggregate(self):
        """The cap of any number of lines costs the same queries."""
        ret = self._return([(self.wine, 1, "quality")])
        ret.line_ids._check_return_cap()
        with self.assertQueryCount(2):
            ret.line_ids._check_return_cap()
        lines = self.env["osb.return.line"].create(
            [
                {"return_id": ret.id, "product_id": self.glass.id, "quantity": 1},
                {"return_id": ret.id, "product_id": self.wine.id, "quantity": 1},
            ]
        )
        ret.line_ids._check_return_cap()
        with self.assertQueryCount(2):
            (ret.line_ids | lines)._check_return_cap()

    def test_from_invoice(self):
        ret = (
            self.env["osb.return"]
            .with_user(self.kam)
            .create(
                {
                    "invoice_id": self.invoice.id,
                    "line_ids": [Command.create({"product_id": self.glass.id, "quantity": 1, "reason": "other"})],
                }
            )
        )
        self.assertEqual(ret.order_id, self.order)
        self.assertEqual(ret.partner_id, self.customer)


@tagged("post_install", "-at_install")
class TestOsbReturnApproval(OsbReturnCommon):
    def test_exactly_at_threshold_kam_approves(self):
        ret = self._return([(self.wine, 10, "quality")])  # 10 x 90 = 900 = the threshold
        ret.with_user(self.kam).action_submit()
        self.assertRecordValues(ret, [{"state": "to_approve", "approval_step": "kam", "approver_id": self.kam.id}])
        self.assertTrue(ret.approval_activity_id)
        self.assertIn(ret, self.env["osb.return"].with_user(self.kam).search([("can_approve", "=", True)]))
        with self.assertRaises(AccessError):
            ret.with_user(self.rep2).action_approve()
        ret.with_user(self.kam).action_approve()
        self.assertRecordValues(ret, [{"state": "approved", "kam_approver_id": self.kam.id, "ssg_approver_id": False}])

    def test_above_threshold_ssg_leader_approves(self):
        self.policy.return_kam_threshold = 899.99
        ret = self._return([(self.wine, 10, "expired")])
        ret.with_user(self.kam).action_submit()
        self.assertRecordValues(ret, [{"state": "to_approve", "approval_step": "ssg"}])
        self.assertFalse(self.env["osb.return"].with_user(self.kam).search([("can_approve", "=", True)]))
        self.assertIn(ret, self.env["osb.return"].with_user(self.ssg).search([("can_approve", "=", True)]))
        with self.assertRaisesRegex(AccessError, "You cannot approve or reject"):
            ret.with_user(self.kam).action_approve()
        ret.with_user(self.ssg).action_approve()
        self.assertRecordValues(ret, [{"state": "approved", "ssg_approver_id": self.ssg.id, "kam_approver_id": False}])
        self.assertEqual(len(ret.picking_ids), 1)

    def test_rejection_creates_nothing(self):
        ret = self._return([(self.wine, 3, "quality")])
        ret.with_user(self.kam).action_submit()
        moves_before = self.env["stock.move"].search_count([])
        invoices_before = self.env["account.move"].search_count([])
        complaints_before = self.env["sales.complaint"].search_count([])
        ret.with_user(self.kam).action_reject("Photos show no defect")
        self.assertRecordValues(ret, [{"state": "rejected", "approval_reason": "Photos show no defect"}])
        self.assertFalse(ret.picking_ids)
        self.assertFalse(ret.credit_note_ids)
        self.assertFalse(ret.complaint_id)
        self.assertEqual(self.env["stock.move"].search_count([]), moves_before)
        self.assertEqual(self.env["account.move"].search_count([]), invoices_before)
        self.assertEqual(self.env["sales.complaint"].search_count([]), complaints_before)
        # A rejected return no longer holds the quantity; it is edited and submitted again.
        self._return([(self.wine, 10, "quality")])

    def test_state_not_writable(self):
        ret = self._return([(self.wine, 1, "quality")])
        with self.assertRaisesRollback(UserError, "status of a return is set only"):
            ret.with_user(self.kam).write({"state": "approved"})
        ret.with_user(self.kam).action_submit()
        with self.assertRaisesRollback(UserError, "cannot be edited"):
            ret.with_user(self.kam).write({"note": "changed"})
        with self.assertRaisesRollback(UserError, "cannot be edited"):
            ret.line_ids.with_user(self.kam).write({"quantity": 1})

    def test_submit_empty_refused(self):
        ret = self.env["osb.return"].with_user(self.kam).create({"order_id": self.order.id})
        with self.assertRaisesRegex(UserError, "returns nothing"):
            ret.with_user(self.kam).action_submit()


@tagged("post_install", "-at_install")
class TestOsbReturnDocuments(OsbReturnCommon):
    def test_delivery_policy_picking_and_credit_note(self):
        ret = self._approved([(self.wine, 3, "expired")])
        picking = ret.picking_ids
        self.assertEqual(len(picking), 1)
        delivery = self.order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertRecordValues(
            picking, [{"return_id": delivery.id, "picking_type_code": "incoming", "osb_return_id": ret.id}]
        )
        self.assertRecordValues(
            picking.move_ids,
            [
                {
                    "product_id": self.wine.id,
                    "product_uom_qty": 3.0,
                    "to_refund": True,
                    "sale_line_id": self.wine_line.id,
                }
            ],
        )
        self.assertEqual(
            picking.move_ids.origin_returned_move_id, delivery.move_ids.filtered(lambda m: m.product_id == self.wine)
        )
        self.assertFalse(ret.credit_note_ids)
        self._validate(picking)
        self.assertEqual(ret.state, "received")
        self.assertEqual(self.wine_line.qty_delivered, 7.0)
        refund = self.env["account.move"].browse(ret.credit_note_ids.ids)
        self.assertEqual(len(refund), 1)
        # 3 x 100 less 10 % = 270, tax 10 % = 27.
        self.assertRecordValues(
            refund,
            [
                {
                    "move_type": "out_refund",
                    "state": "draft",
                    "amount_untaxed": 270.0,
                    "amount_tax": 27.0,
                    "amount_total": 297.0,
                    "partner_id": self.customer.id,
                }
            ],
        )
        self.assertRecordValues(refund.invoice_line_ids, [{"quantity": 3.0, "price_unit": 100.0, "discount": 10.0}])
        self.assertEqual(refund.invoice_line_ids.sale_line_ids, self.wine_line)
        self.assertIn(refund, self.order.invoice_ids)
        # The queue asks for the customer's exposure refresh.
        self.env.cr.execute("SELECT count(*) FROM osb_credit_exposure_queue WHERE partner_id = %s", [self.customer.id])
        self.assertGreater(self.env.cr.fetchone()[0], 0)
        refund.action_post()
        self.assertEqual(ret.state, "refunded")
        self.assertEqual(self.wine_line.qty_invoiced, 7.0)

    def test_order_policy_credit_note(self):
        ret = self._approved([(self.glass, 2, "wrong_shipment")])
        self._validate(ret.picking_ids)
        self.assertEqual(ret.state, "received")
        refund = self.env["account.move"].browse(ret.credit_note_ids.ids)
        # 2 x 50 less 20 % = 2 x 40 = 80, no tax.
        self.assertRecordValues(
            refund,
            [
                {
                    "move_type": "out_refund",
                    "amount_untaxed": 80.0,
                    "amount_total": 80.0,
                    "reversed_entry_id": self.invoice.id,
                }
            ],
        )
        self.assertRecordValues(
            refund.invoice_line_ids,
            [{"product_id": self.glass.id, "quantity": 2.0, "price_unit": 40.0, "discount": 0.0}],
        )
        refund.action_post()
        self.assertEqual(ret.state, "refunded")
        # Not linked to the sale line: the order does not invoice the glasses again.
        self.assertEqual(self.glass_line.qty_to_invoice, 0.0)

    def test_both_policies_one_return(self):
        ret = self._approved([(self.wine, 1, "quality"), (self.glass, 1, "quality")])
        self._validate(ret.picking_ids)
        refunds = self.env["account.move"].browse(ret.credit_note_ids.ids)
        self.assertEqual(len(refunds), 2)
        self.assertEqual(sorted(refunds.mapped("amount_untaxed")), [40.0, 90.0])
        refunds[0].action_post()
        self.assertEqual(ret.state, "received")
        refunds[1].action_post()
        self.assertEqual(ret.state, "refunded")

    def test_quality_return_feeds_a_complaint(self):
        ret = self._approved([(self.wine, 1, "quality")])
        complaint = ret.complaint_id
        self.assertRecordValues(
            complaint, [{"category": "quality", "order_id": self.order.id, "partner_id": self.customer.id}]
        )
        other = self._approved([(self.wine, 1, "quality")])
        self.assertEqual(other.complaint_id, complaint, "the open quality complaint of the order is linked")
        expired = self._approved([(self.wine, 1, "expired")])
        self.assertFalse(expired.complaint_id)

    def test_return_over_two_deliveries(self):
        """A backorder: the return takes from each delivery, one return picking each."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.kam.id,
                "order_line": [Command.create({"product_id": self.wine.id, "product_uom_qty": 5, "price_unit": 10})],
            }
        )
        order.action_confirm()
        first = order.picking_ids
        first.move_ids.write({"quantity": 2, "picked": True})
        first.with_context(cancel_backorder=False)._action_done()
        second = order.picking_ids - first
        self._validate(second)
        ret = (
            self.env["osb.return"]
            .with_user(self.kam)
            .create({"order_id": order.id, "line_ids": [Command.create({"product_id": self.wine.id, "quantity": 4})]})
        )
        ret.with_user(self.kam).action_submit()
        ret.with_user(self.kam).action_approve()
        self.assertEqual(len(ret.picking_ids), 2)
        self.assertEqual(sorted(ret.picking_ids.move_ids.mapped("product_uom_qty")), [2.0, 2.0])
        self.assertEqual(ret.picking_ids.return_id, first | second)


@tagged("post_install", "-at_install")
class TestOsbReturnFollowsPickings(OsbReturnCommon):
    """The return follows its pickings: a partial reception credits what came
    back, its backorder the rest; all pickings cancelled cancel the return.
    Wine: net 90 a unit, tax 10 %; glass (invoiced on order): net 40, no tax."""

    def _receive(self, pickings, quantities, **context):
        for move in pickings.move_ids:
            move.quantity = quantities[move.product_id]
            move.picked = True
        pickings.with_context(**context)._action_done()

    def _refunds(self, ret):
        return self.env["account.move"].browse(ret.credit_note_ids.ids).sorted("id")

    def test_partial_reception_then_backorder(self):
        """3 wines and 2 glasses back; 1 wine and 1 glass come first: credit notes
        1 x 90 + 9 tax = 99 and 1 x 40 = 40, the return stays approved with the
        backorder of 2 wines and 1 glass; the backorder received: 2 x 90 + 18 tax
        = 198 and 1 x 40 = 40; 350 untaxed in all (3 x 90 + 2 x 40)."""
        ret = self._approved([(self.wine, 3, "expired"), (self.glass, 2, "wrong_shipment")])
        first = ret.picking_ids
        self._receive(first, {self.wine: 1, self.glass: 1})
        self.assertEqual(first.state, "done")
        backorder = ret.picking_ids - first
        self.assertEqual(len(backorder), 1)
        self.assertRecordValues(backorder, [{"backorder_id": first.id, "osb_return_id": ret.id}])
        self.assertEqual(
            sorted((m.product_id.name, m.product_uom_qty) for m in backorder.move_ids),
            [("R Glass", 1.0), ("R Wine", 2.0)],
        )
        self.assertEqual(ret.state, "approved")
        self.assertEqual(self.wine_line.qty_delivered, 9.0)
        refunds = self._refunds(ret)
        self.assertEqual(len(refunds), 2)
        self.assertRecordValues(
            refunds,
            [
                {"move_type": "out_refund", "amount_untaxed": 90.0, "amount_tax": 9.0, "amount_total": 99.0},
                {"move_type": "out_refund", "amount_untaxed": 40.0, "amount_tax": 0.0, "amount_total": 40.0},
            ],
        )
        self.assertRecordValues(refunds[1].invoice_line_ids, [{"product_id": self.glass.id, "quantity": 1.0}])
        self.assertIn("Partly received", ret.message_ids[0].body)
        self.assertIn(backorder.name, ret.message_ids[0].body)
        # the first credit notes posted: still approved, the backorder is open
        refunds.action_post()
        self.assertEqual(ret.state, "approved")
        self._receive(backorder, {self.wine: 2, self.glass: 1})
        self.assertEqual(ret.state, "received")
        self.assertEqual(self.wine_line.qty_delivered, 7.0)
        later = self._refunds(ret) - refunds
        self.assertRecordValues(
            later,
            [
                {"amount_untaxed": 180.0, "amount_tax": 18.0, "amount_total": 198.0, "state": "draft"},
                {"amount_untaxed": 40.0, "amount_tax": 0.0, "amount_total": 40.0, "state": "draft"},
            ],
        )
        self.assertRecordValues(later[1].invoice_line_ids, [{"product_id": self.glass.id, "quantity": 1.0}])
        self.assertEqual(sum(self._refunds(ret).mapped("amount_untaxed")), 350.0)
        self.assertIn("Received; credit note", ret.message_ids[0].body)
        later.action_post()
        self.assertEqual(ret.state, "refunded")
        self.assertEqual(self.wine_line.qty_invoiced, 7.0)
        self.assertEqual(self.glass_line.qty_to_invoice, 0.0)

    def test_partial_reception_without_backorder(self):
        """1 of 3 wines and 1 of 2 glasses come back, the rest given up: received,
        credit notes 1 x 90 + 9 = 99 and 1 x 40 = 40 only."""
        ret = self._approved([(self.wine, 3, "expired"), (self.glass, 2, "wrong_shipment")])
        self._receive(ret.picking_ids, {self.wine: 1, self.glass: 1}, cancel_backorder=True)
        self.assertEqual(len(ret.picking_ids), 1)
        self.assertEqual(ret.state, "received")
        self.assertEqual(self.wine_line.qty_delivered, 9.0)
        refunds = self._refunds(ret)
        self.assertEqual(refunds.mapped("amount_total"), [99.0, 40.0])
        refunds.action_post()
        self.assertEqual(ret.state, "refunded")

    def test_backorder_cancelled_after_partial_reception(self):
        """2 of 3 wines come, the backorder of 1 is cancelled: received, the 180 + 18
        credited stands; the credit note already posted, the return is refunded."""
        ret = self._approved([(self.wine, 3, "expired")])
        first = ret.picking_ids
        self._receive(first, {self.wine: 2})
        refund = self._refunds(ret)
        self.assertRecordValues(refund, [{"amount_untaxed": 180.0, "amount_total": 198.0}])
        refund.action_post()
        self.assertEqual(ret.state, "approved")
        (ret.picking_ids - first).action_cancel()
        self.assertEqual(ret.state, "refunded")
        self.assertEqual(self.wine_line.qty_delivered, 8.0)

    def test_all_pickings_cancelled_cancel_the_return(self):
        """The return picking cancelled, nothing came back: the return is
        cancelled, nothing credited, its 10 wines returnable again; reset to draft
        and approved again, it gets a new picking."""
        ret = self._approved([(self.wine, 10, "expired")])
        picking = ret.picking_ids
        picking.action_cancel()
        self.assertEqual(ret.state, "cancel")
        self.assertFalse(ret.credit_note_ids)
        self.assertIn("nothing came back, the return is cancelled", ret.message_ids[0].body)
        self.assertEqual(self.wine_line.qty_delivered, 10.0)
        other = self._approved([(self.wine, 10, "quality")])
        other.picking_ids.action_cancel()
        self.assertEqual(other.state, "cancel")
        ret.with_user(self.kam).action_draft()
        ret.with_user(self.kam).action_submit()
        ret.with_user(self.kam).action_approve()
        self.assertEqual(ret.state, "approved")
        new = ret.picking_ids - picking
        self.assertEqual(new.move_ids.product_uom_qty, 10.0)
        self._receive(new, {self.wine: 10})
        self.assertEqual(ret.state, "received")
        self.assertRecordValues(self._refunds(ret), [{"amount_untaxed": 900.0, "amount_total": 990.0}])


@tagged("post_install", "-at_install")
class TestOsbReturnAccess(OsbReturnCommon):
    def test_rep_of_another_team_cannot_read(self):
        ret = self._return([(self.wine, 1, "quality")])
        with self.assertRaises(AccessError):
            ret.with_user(self.rep2).read(["name"])
        with self.assertRaises(AccessError):
            ret.line_ids.with_user(self.rep2).read(["quantity"])
        self.assertFalse(self.env["osb.return"].with_user(self.rep2).search([]))
        self.assertEqual(ret.with_user(self.ssg).read(["name"])[0]["name"], ret.name)

    def test_company_rule(self):
        other = self.env["res.company"].create({"name": "R Other Co"})
        ret = self._return([(self.wine, 1, "quality")])
        user = new_test_user(
            self.env, login="osb_r_other_co", groups=SSG_LEADER, company_id=other.id, company_ids=[other.id]
        )
        with self.assertRaises(AccessError):
            ret.with_user(user).read(["name"])

    def test_other_company_order_refused_naming_the_field(self):
        other = self.env["res.company"].create({"name": "R Other Co 2"})
        partner = self.env["res.partner"].create({"name": "R Other Customer", "company_id": other.id})
        order = self.env["sale.order"].with_company(other).create({"partner_id": partner.id, "company_id": other.id})
        with self.assertRaisesRollback(ValidationError, "Source Order: the record .* is not one you can read"):
            self.env["osb.return"].with_user(self.kam).create({"order_id": order.id})
        ret = self._return([(self.wine, 1, "quality")])
        with self.assertRaisesRollback(ValidationError, "Customer: the record .* is not one you can read"):
            ret.with_user(self.kam).write({"partner_id": partner.id})
        self.assertEqual(ret.partner_id, self.customer)

    def test_print_return_form(self):
        ret = self._return([(self.wine, 2, "quality")])
        html, _kind = self.env["ir.actions.report"]._render_qweb_html("osb_credit.report_osb_return", ret.ids)
        self.assertIn(ret.name, html.decode())
        self.assertIn("R Wine", html.decode())
