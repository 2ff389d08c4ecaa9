# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare, float_is_zero, format_amount, formatLang

RETURN_STATES = [
    ("draft", "Draft"),
    ("to_approve", "Submitted"),
    ("approved", "Approved"),
    ("received", "Received"),
    ("refunded", "Refunded"),
    ("rejected", "Rejected"),
    ("cancel", "Cancelled"),
]
# Returns whose lines count as returned for the cap: open and done returns.
COUNTED_STATES = ("draft", "to_approve", "approved", "received", "refunded")
# What the KAM states; frozen once submitted (a rejected return is edited again).
CONTENT_FIELDS = frozenset(("partner_id", "order_id", "invoice_id", "line_ids", "date", "note", "company_id"))
EDITABLE_STATES = ("draft", "rejected")


class OsbReturn(models.Model):
    """A customer return (退货) of goods delivered on one order: lines of the
    order's lines, each with a quantity and a reason, capped at what was delivered
    and not returned yet (open and done returns count).

    The KAM (the order's salesperson) approves it up to the company's threshold
    (``osb.credit.policy.return_kam_threshold``), the SSG leader above. On
    approval the return picking is made by Odoo's ``stock.return.picking`` wizard
    (one per delivery returned from, ``to_refund``); when it is done the return is
    received and the credit note is made by Odoo's invoicing of the order
    (delivery-invoiced lines: ``_create_invoices(final=True)``) or, for
    order-invoiced lines, as a credit note of the order's invoice limited to the
    returned quantities at the lines' net price; it is refunded when that credit
    note is posted."""

    _name = "osb.return"
    _description = "Customer Return"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.team.scoped.mixin", "sales.approval.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _approval_state_field = "state"
    # The SSG leader, who approves above the threshold, may approve any return.
    _approval_admin_group = "osb_credit.group_osb_ssg_leader"

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, precompute=True, readonly=True
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Source Order",
        index=True,
        check_company=True,
        tracking=True,
        domain="[('state', '=', 'sale'), ('partner_id', 'child_of', partner_id)]",
        help="The order whose delivered goods come back (taken from the invoice when an invoice is given).",
    )
    invoice_id = fields.Many2one(
        "account.move",
        string="Source Invoice",
        index="btree_not_null",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
        help="The customer invoice of the order, when the return starts from it.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        string="KAM",
        default=None,
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The order's salesperson (the customer's KAM): approves the return up to the threshold.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    line_ids = fields.One2many("osb.return.line", "return_id", string="Lines", copy=True)
    note = fields.Text(help="What the customer says, what was seen.")
    amount_untaxed = fields.Monetary(
        string="Amount",
        compute="_compute_amount",
        store=True,
        tracking=True,
        help="Returned quantities at the order lines' net price (without taxes), in the order's currency.",
    )
    amount_company = fields.Monetary(
        string="Amount (Company Currency)",
        currency_field="company_currency_id",
        compute="_compute_amount",
        store=True,
        help="The amount in the company's currency, compared with the KAM's approval threshold.",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    state = fields.Selection(
        RETURN_STATES, required=True, default="draft", readonly=True, copy=False, index=True, tracking=True
    )
    kam_approver_id = fields.Many2one("res.users", string="Approved by KAM", readonly=True, copy=False)
    ssg_approver_id = fields.Many2one("res.users", string="Approved by SSG Leader", readonly=True, copy=False)
    picking_ids = fields.One2many("stock.picking", "osb_return_id", string="Return Pickings", readonly=True)
    credit_note_ids = fields.One2many("account.move", "osb_return_id", string="Credit Notes", readonly=True)
    picking_count = fields.Integer(compute="_compute_document_counts")
    credit_note_count = fields.Integer(compute="_compute_document_counts")
    complaint_id = fields.Many2one(
        "sales.complaint",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The quality complaint the return's quality lines feed (made or linked on approval).",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("order_id.currency_id", "company_id")
    def _compute_currency_id(self):
        for ret in self:
            ret.currency_id = ret.order_id.currency_id or ret.company_id.currency_id

    @api.depends("order_id", "invoice_id")
    def _compute_partner_id(self):
        for ret in self:
            source = ret.order_id or ret.invoice_id
            if source:
                ret.partner_id = source.partner_id.commercial_partner_id
            else:
                ret.partner_id = ret.partner_id

    @api.depends("order_id")
    def _compute_user_id(self):
        for ret in self:
            ret.user_id = ret.order_id.user_id or ret.user_id or self.env.user

    @api.depends("order_id.team_id", "user_id")
    def _compute_team_id(self):
        for ret in self:
            ret.team_id = ret.order_id.team_id or ret.team_id or ret.user_id.sale_team_id

    @api.depends("line_ids.price_subtotal", "currency_id", "company_id", "date")
    def _compute_amount(self):
        for ret in self:
            ret.amount_untaxed = sum(ret.line_ids.mapped("price_subtotal"))
            ret.amount_company = ret.currency_id._convert(
                ret.amount_untaxed, ret.company_id.currency_id, ret.company_id, ret.date or fields.Date.today()
            )

    @api.depends("picking_ids", "credit_note_ids")
    def _compute_document_counts(self):
        for ret in self:
            ret.picking_count = len(ret.picking_ids)
            ret.credit_note_count = len(ret.credit_note_ids)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("order_id", "invoice_id", "partner_id")
    def _check_source(self):
        for ret in self:
            if not ret.order_id:
                raise ValidationError(
                    self.env._(
                        "Source Order: the return %(name)s needs the order (or invoice) it comes from.", name=ret.name
                    )
                )
            if ret.order_id.state != "sale":
                raise ValidationError(
                    self.env._(
                        "Source Order: %(order)s is not a confirmed order; only delivered goods come back.",
                        order=ret.order_id.name,
                    )
                )
            if ret.partner_id.commercial_partner_id != ret.order_id.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Customer: %(order)s is an order of %(other)s, not of %(customer)s.",
                        order=ret.order_id.name,
                        other=ret.order_id.partner_id.commercial_partner_id.display_name,
                        customer=ret.partner_id.display_name,
                    )
                )
            if ret.invoice_id and ret.order_id not in ret.invoice_id.line_ids.sale_line_ids.order_id:
                raise ValidationError(
                    self.env._(
                        "Source Invoice: %(invoice)s does not invoice the order %(order)s.",
                        invoice=ret.invoice_id.name,
                        order=ret.order_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")  # the access rights answer first, before the checks below
        self._sales_check_input(vals_list)  # before the values are read below
        self._check_line_input(vals_list)
        self._check_source_input(vals_list)
        for vals in vals_list:
            if vals.get("invoice_id") and not vals.get("order_id"):
                vals["order_id"] = self._order_of_invoice(vals["invoice_id"]).id
            self._check_source_order(vals.get("order_id"))
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("osb.return") or "/"
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")  # the access rights answer first, before the checks below
        self._sales_check_input([vals])  # before the values are read below
        self._check_line_input([vals])
        self._check_source_input([vals])
        if not self.env.su and not CONTENT_FIELDS.isdisjoint(vals):
            self._check_editable()
        if vals.get("invoice_id") and not vals.get("order_id"):
            vals["order_id"] = self._order_of_invoice(vals["invoice_id"]).id
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if self.filtered(lambda r: r.state not in ("draft", "cancel")):
            raise UserError(self.env._("Only a draft or cancelled return can be deleted; cancel it first."))

    @api.model
    def _check_line_input(self, vals_list):
        """The input check of the lines given inline (``line_ids`` commands), before
        the precomputed fields read them (a quantity as text, an unknown reason)."""
        lines = [
            command[2]
            for vals in vals_list
            for command in vals.get("line_ids") or ()
            if isinstance(command, (list, tuple)) and len(command) == 3 and isinstance(command[2], dict)
        ]
        if lines:
            self.env["osb.return.line"]._sales_check_input(lines)

    @api.model
    def _check_source_order(self, order_id):
        """Before the lines are read: the return names a confirmed order."""
        if not order_id:
            raise ValidationError(
                self.env._("Source Order: a return needs the order (or invoice) its goods come from.")
            )
        order = self.env["sale.order"].browse(order_id)
        if order.state != "sale":
            raise ValidationError(
                self.env._(
                    "Source Order: %(order)s is not a confirmed order; only delivered goods come back.",
                    order=order.name,
                )
            )

    @api.model
    def _check_source_input(self, vals_list):
        """The order, invoice and customer named must be records the user reads (in
        the companies of the request), before the computed fields read them: else
        a clean error naming the field, not an access error on another model."""
        if self.env.su:
            return
        for vals in vals_list:
            for name in ("order_id", "invoice_id", "partner_id"):
                if not vals.get(name):
                    continue
                record = self.env[self._fields[name].comodel_name].browse(vals[name])
                try:
                    record.check_access("read")
                except AccessError:
                    raise ValidationError(
                        self.env._(
                            "%(field)s: the record %(id)s is not one you can read in the selected companies.",
                            field=self._fields[name].get_description(self.env)["string"],
                            id=vals[name],
                        )
                    ) from None

    @api.model
    def _order_of_invoice(self, invoice_id):
        invoice = self.env["account.move"].browse(invoice_id)
        orders = invoice.line_ids.sale_line_ids.order_id
        if len(orders) != 1:
            raise ValidationError(
                self.env._(
                    "Source Invoice: %(invoice)s invoices %(count)s orders; give the order the goods come from.",
                    invoice=invoice.name or invoice.id,
                    count=len(orders),
                )
            )
        return orders

    def _check_editable(self):
        frozen = self.filtered(lambda r: r.state not in EDITABLE_STATES)
        if frozen:
            raise UserError(
                self.env._(
                    "%(names)s is submitted, approved or closed: it cannot be edited (a rejected return can).",
                    names=", ".join(frozen.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        """Ask for the approval of these returns: the KAM up to the threshold, the
        SSG leader above."""
        wrong = self.filtered(lambda r: r.state not in EDITABLE_STATES)
        if wrong:
            raise UserError(
                self.env._("%(names)s is already submitted or closed.", names=", ".join(wrong.mapped("name")))
            )
        empty = self.filtered(lambda r: not r.line_ids)
        if empty:
            raise UserError(
                self.env._("Lines: %(names)s returns nothing; add a line.", names=", ".join(empty.mapped("name")))
            )
        self.check_access("write")
        self.line_ids._check_return_cap()
        self.sudo().write({"kam_approver_id": False, "ssg_approver_id": False})
        self._approval_start()
        return True

    def action_approve(self):
        """Approve these returns (their KAM below the threshold, the SSG leader above)."""
        return self.action_approval_approve()

    def action_reject(self, reason=None):
        """Reject with ``reason``; without it, open the wizard asking for it. Nothing is made."""
        return self.action_approval_reject(reason)

    def action_cancel(self):
        wrong = self.filtered(lambda r: r.state not in ("draft", "to_approve", "rejected"))
        if wrong:
            raise UserError(
                self.env._(
                    "%(names)s is approved or closed: its return picking and credit note follow the documents.",
                    names=", ".join(wrong.mapped("name")),
                )
            )
        self.check_access("write")
        self._approval_reset()
        self.sudo().write({"state": "cancel"})
        return True

    def action_draft(self):
        wrong = self.filtered(lambda r: r.state not in ("rejected", "cancel"))
        if wrong:
            raise UserError(
                self.env._(
                    "Only a rejected or cancelled return goes back to draft (%(names)s).",
                    names=", ".join(wrong.mapped("name")),
                )
            )
        self.check_access("write")
        self.sudo().write({"state": "draft", "approval_reason": False})
        # Back among the counted returns: the cap applies again.
        self.line_ids._check_return_cap()
        return True

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        if len(self.picking_ids) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=self.picking_ids.id)
        return action

    def action_view_credit_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_refund_type")
        action["domain"] = [("id", "in", self.credit_note_ids.ids)]
        if len(self.credit_note_ids) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=self.credit_note_ids.id)
        return action

    # ------------------------------------------------------------------
    # Approval engine: the KAM up to the threshold, the SSG leader above
    # ------------------------------------------------------------------
    @api.model
    def _get_approval_steps(self):
        return self._approval_threshold_steps(
            self._approval_step(
                "kam",
                self.env._("KAM"),
                needed="_osb_has_kam",
                assign="_osb_assign_kam",
                approver_field="kam_approver_id",
            ),
            self._approval_step(
                "ssg",
                self.env._("SSG Leader"),
                group="osb_credit.group_osb_ssg_leader",
                approver_field="ssg_approver_id",
            ),
            "amount_company",
            "_osb_kam_threshold",
            currency_field="company_currency_id",
        )

    def _osb_kam_threshold(self):
        """Returns up to this amount (company currency) go to their KAM, the others to the SSG leader."""
        self.ensure_one()
        return self.env["osb.credit.policy"].sudo()._get_policy(self.company_id).return_kam_threshold

    def _osb_has_kam(self):
        """Returns whose order has a KAM (its salesperson)."""
        return self.filtered("user_id")

    def _osb_assign_kam(self):
        return {ret.id: ret.user_id for ret in self}

    def _approval_guarded_fields(self):
        return super()._approval_guarded_fields() | {
            "kam_approver_id",
            "ssg_approver_id",
            "complaint_id",
            "amount_untaxed",
            "amount_company",
        }

    def _approval_guard_message(self):
        return self.env._(
            "The status of a return is set only through its Submit, Approve, Reject and Cancel actions and its "
            "picking and credit note; it cannot be written directly."
        )

    def _approval_request_texts(self, step, approver):
        self.ensure_one()
        amount = format_amount(self.env, self.amount_untaxed, self.currency_id)
        summary = self.env._("Approve return %(name)s (%(amount)s)", name=self.name, amount=amount)
        note = self.env._(
            "%(user)s asks for the approval (%(step)s) of the return %(name)s of %(customer)s on %(order)s: "
            "%(amount)s.",
            user=self.env.user.name,
            step=step["name"],
            name=self.name,
            customer=self.partner_id.display_name,
            order=self.order_id.name,
            amount=amount,
        )
        body = self.env._("Approval requested from %(approver)s.", approver=approver.name)
        return summary, note, body

    def _approval_notify_partners(self):
        return self.user_id.partner_id | self.create_uid.partner_id

    def _approval_on_approved(self):
        self._osb_create_return_pickings()
        self._osb_feed_complaints()

    # ------------------------------------------------------------------
    # Documents: return pickings, credit notes, complaints, exposure
    # ------------------------------------------------------------------
    def _osb_create_return_pickings(self):
        """One return picking per delivery of the order the returned goods left
        with, made by Odoo's return wizard (``to_refund``: the order's delivered
        quantities go down), the quantities spread over the deliveries' moves."""
        Wizard = self.env["stock.return.picking"].sudo()
        for ret in self:
            remaining = defaultdict(float)  # sale line -> quantity (product unit) still to place
            for line in ret.line_ids:
                remaining[line.sale_line_id] += line.product_qty
            by_picking = defaultdict(dict)  # picking -> {move: quantity}
            moves = ret.order_id.order_line.move_ids.sudo().filtered(
                lambda m, todo=remaining: (
                    m.state == "done" and m.location_dest_id.usage == "customer" and m.sale_line_id in todo
                )
            )
            for move in moves.sorted(lambda m: (m.date, m.id)):
                rounding = move.product_id.uom_id.rounding
                todo = remaining[move.sale_line_id]
                if float_is_zero(todo, precision_rounding=rounding):
                    continue
                returned = sum(
                    m.product_qty
                    for m in move.returned_move_ids
                    if m.state != "cancel" and m.origin_returned_move_id == move
                )
                free = move.product_qty - returned
                quantity = min(todo, free)
                if float_compare(quantity, 0.0, precision_rounding=rounding) > 0:
                    by_picking[move.picking_id][move] = quantity
                    remaining[move.sale_line_id] = todo - quantity
            short = [line for line, qty in remaining.items() if float_compare(qty, 0.0, precision_digits=6) > 0]
            if short:
                raise UserError(
                    self.env._(
                        "The return %(name)s cannot be picked: %(products)s were not delivered by a done delivery.",
                        name=ret.name,
                        products=", ".join(line.product_id.display_name for line in short),
                    )
                )
            pickings = self.env["stock.picking"]
            for picking, quantities in by_picking.items():
                wizard = Wizard.with_context(active_id=picking.id, active_model="stock.picking").create(
                    {"picking_id": picking.id}
                )
                for wizard_line in wizard.product_return_moves:
                    wizard_line.write({"quantity": quantities.get(wizard_line.move_id, 0.0), "to_refund": True})
                new_picking = wizard._create_return()
                new_picking.write({"osb_return_id": ret.id, "origin": f"{ret.name} ({picking.name})"})
                pickings |= new_picking
            ret._approval_post(
                self.env._(
                    "Return picking %(pickings)s created; the credit note follows its reception.",
                    pickings=", ".join(pickings.mapped("name")),
                )
            )

    def _osb_feed_complaints(self):
        """A return with quality lines feeds a quality complaint of its order: the
        open one if there is one, else a new one."""
        quality = self.filtered(lambda r: "quality" in r.line_ids.mapped("reason") and not r.complaint_id)
        if not quality:
            return
        Complaint = self.env["sales.complaint"].sudo()
        open_complaints = Complaint.search(
            [
                ("order_id", "in", quality.order_id.ids),
                ("category", "=", "quality"),
                ("state", "in", ("new", "in_progress")),
            ],
            order="id",
        )
        by_order = {}
        for complaint in open_complaints:
            by_order.setdefault(complaint.order_id.id, complaint)
        for ret in quality:
            complaint = by_order.get(ret.order_id.id)
            lines = ret.line_ids.filtered(lambda line: line.reason == "quality")
            summary = ", ".join(
                f"{line.product_id.display_name} × {formatLang(self.env, line.quantity)}" for line in lines
            )
            if complaint:
                complaint.message_post(
                    body=self.env._("Return %(name)s for quality: %(lines)s", name=ret.name, lines=summary)
                )
            else:
                complaint = Complaint.create(
                    {
                        "partner_id": ret.partner_id.id,
                        "order_id": ret.order_id.id,
                        "user_id": ret.user_id.id,
                        "team_id": ret.team_id.id,
                        "company_id": ret.company_id.id,
                        "category": "quality",
                        "description": self.env._(
                            "Goods returned for quality (return %(name)s): %(lines)s. %(note)s",
                            name=ret.name,
                            lines=summary,
                            note=ret.note or "",
                        ),
                    }
                )
                by_order[ret.order_id.id] = complaint
            ret.sudo().write({"complaint_id": complaint.id})

    def _osb_on_pickings_done(self, pickings=None):
        """Return pickings (``pickings``, of these returns) were validated: each
        makes the credit note of what it received. A return whose pickings are all
        done or cancelled is received (then refunded at once if its credit notes
        are all posted already); while a backorder is open it stays approved, the
        rest following the backorder."""
        pickings = (pickings if pickings is not None else self.picking_ids).filtered(lambda p: p.state == "done")
        for ret in self.filtered(lambda r: r.state == "approved" and r.picking_ids):
            ret._osb_credit_received(pickings & ret.picking_ids)
        self._osb_follow_pickings()

    def _osb_on_pickings_cancelled(self):
        """Return pickings were cancelled: see ``_osb_follow_pickings``."""
        self._osb_follow_pickings()

    def _osb_follow_pickings(self):
        """The state of approved returns follows their pickings once none is open:
        all cancelled (nothing came back): the return is cancelled, its quantities
        returnable again; otherwise it is received."""
        closed = self.filtered(
            lambda r: (
                r.state == "approved" and r.picking_ids and all(p.state in ("done", "cancel") for p in r.picking_ids)
            )
        )
        if not closed:
            return
        nothing = closed.filtered(lambda r: all(p.state == "cancel" for p in r.picking_ids))
        if nothing:
            nothing.sudo().write({"state": "cancel"})
            for ret in nothing:
                ret._approval_post(
                    self.env._(
                        "Return picking %(pickings)s cancelled: nothing came back, the return is cancelled (its "
                        "quantities can be returned again; Reset to Draft to submit it again).",
                        pickings=", ".join(ret.picking_ids.mapped("name")),
                    )
                )
        received = closed - nothing
        if received:
            received.sudo().write({"state": "received"})
            received._osb_on_credit_notes_posted()
        closed._osb_refresh_exposure()

    def _osb_received_quantities(self, pickings):
        """``{sale line: quantity received}`` by the done moves of ``pickings``, in
        the sale lines' unit."""
        quantities = defaultdict(float)
        for move in pickings.move_ids:
            if move.state == "done" and move.sale_line_id:
                sale_line = move.sale_line_id
                quantities[sale_line] += move.product_uom._compute_quantity(move.quantity, sale_line.product_uom)
        return quantities

    def _osb_credit_received(self, pickings):
        """The credit note of what the done return pickings ``pickings`` of this
        return received, by the order's invoicing: the delivery-invoiced lines
        through ``_create_invoices(final=True)`` (their delivered quantity went
        down by what came back, so the order invoices a refund of it), the
        order-invoiced lines as a credit note of the order's invoice for the
        quantities received at the lines' net price (the return's lines are
        filled in order: first by the pickings received before, then by these).
        Nothing when nothing was invoiced yet (the order's next invoice counts the
        returned quantities)."""
        self.ensure_one()
        if not pickings:
            return
        order = self.order_id.sudo()
        moves = self.env["account.move"]
        delivery_lines = self.line_ids.sale_line_id.filtered(lambda sl: sl.product_id.invoice_policy == "delivery")
        if delivery_lines:
            precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
            to_refund = delivery_lines.filtered(
                lambda sl: float_compare(sl.qty_to_invoice, 0.0, precision_digits=precision) < 0
            )
            if to_refund:
                moves |= order.with_context(osb_return_sale_line_ids=to_refund.ids)._create_invoices(final=True)
        order_lines = self.line_ids.filtered(lambda line: line.sale_line_id.product_id.invoice_policy == "order")
        order_lines = order_lines.filtered(lambda line: line.sale_line_id.qty_invoiced > 0)
        if order_lines:
            before = self._osb_received_quantities(self.picking_ids.filtered(lambda p: p.state == "done") - pickings)
            now = self._osb_received_quantities(pickings)
            quantities = {}
            for line in order_lines.sorted("id"):
                sale_line = line.sale_line_id
                earlier = min(line.quantity, before[sale_line])
                before[sale_line] -= earlier
                current = min(line.quantity - earlier, now[sale_line])
                now[sale_line] -= current
                if float_compare(current, 0.0, precision_rounding=sale_line.product_uom.rounding) > 0:
                    quantities[line] = current
            if quantities:
                moves |= self.env["account.move"].sudo().create(self._osb_prepare_refund_vals(quantities))
        moves.sudo().write({"osb_return_id": self.id})
        self._osb_post_received(pickings, moves)

    def _osb_post_received(self, pickings, moves):
        """The chatter note of a reception: the credit note made, and what still
        follows when a backorder is open."""
        self.ensure_one()
        still_open = self.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        if still_open:
            rest = ", ".join(still_open.mapped("name"))
            if moves:
                self._approval_post(
                    self.env._(
                        "Partly received (%(pickings)s); credit note %(moves)s made for what came back; the rest "
                        "follows %(rest)s.",
                        pickings=", ".join(pickings.mapped("name")),
                        moves=", ".join(moves.mapped("display_name")),
                        rest=rest,
                    )
                )
            else:
                self._approval_post(
                    self.env._(
                        "Partly received (%(pickings)s); nothing was invoiced yet for it; the rest follows %(rest)s.",
                        pickings=", ".join(pickings.mapped("name")),
                        rest=rest,
                    )
                )
        elif moves:
            self._approval_post(
                self.env._("Received; credit note %(moves)s made.", moves=", ".join(moves.mapped("display_name")))
            )
        else:
            self._approval_post(
                self.env._("Received; nothing was invoiced yet: the order's next invoice counts the return.")
            )

    def _osb_prepare_refund_vals(self, quantities):
        """A credit note of the order's invoice for ``quantities`` (``{return line:
        quantity}``, order-invoiced lines): the quantities at the sale lines' net
        price, the lines' taxes. Not linked to the sale lines: the order would
        invoice them again."""
        self.ensure_one()
        order = self.order_id.sudo()
        vals = order._prepare_invoice()
        invoice = (
            self.invoice_id
            or order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")[:1]
        )
        vals.update(
            move_type="out_refund",
            reversed_entry_id=invoice.id,
            ref=self.env._("Return %(name)s", name=self.name),
            invoice_line_ids=[],
        )
        for line, quantity in quantities.items():
            sale_line = line.sale_line_id.sudo()
            line_vals = sale_line._prepare_invoice_line(quantity=quantity)
            line_vals.pop("sale_line_ids", None)
            line_vals.update(price_unit=sale_line.price_reduce_taxexcl, discount=0.0)
            vals["invoice_line_ids"].append(Command.create(line_vals))
        return vals

    def _osb_on_credit_notes_posted(self):
        refunded = self.filtered(
            lambda r: (
                r.state == "received"
                and r.credit_note_ids
                and all(m.state in ("posted", "cancel") for m in r.credit_note_ids)
                and any(m.state == "posted" for m in r.credit_note_ids)
            )
        )
        if refunded:
            refunded.sudo().write({"state": "refunded"})
            refunded._osb_refresh_exposure()

    def _osb_refresh_exposure(self):
        self.env["osb.credit.exposure"]._schedule_refresh(self.partner_id, self.company_id)

    # ------------------------------------------------------------------
    # Cap: delivered - already returned, per sale line, one aggregate
    # ------------------------------------------------------------------
    @api.model
    def _osb_returnable_figures(self, sale_lines):
        """``{sale line id: (delivered, returned)}`` in the product's unit:
        delivered by done deliveries; returned by done customer returns made
        outside the returns here plus the lines of the open and done returns.
        Two grouped queries for any number of sale lines."""
        self.env["stock.move"].flush_model()
        self.env["stock.picking"].flush_model(["osb_return_id"])
        self.env["osb.return.line"].flush_model()
        self.flush_model(["state"])
        ids = list(sale_lines.ids)
        self.env.cr.execute(
            SQL(
                """
                SELECT m.sale_line_id,
                       COALESCE(SUM(m.product_qty) FILTER (
                           WHERE dest.usage = 'customer' AND src.usage != 'customer'), 0),
                       COALESCE(SUM(m.product_qty) FILTER (
                           WHERE src.usage = 'customer' AND dest.usage != 'customer' AND m.to_refund
                             AND p.osb_return_id IS NULL), 0)
                  FROM stock_move m
                  JOIN stock_location src ON src.id = m.location_id
                  JOIN stock_location dest ON dest.id = m.location_dest_id
             LEFT JOIN stock_picking p ON p.id = m.picking_id
                 WHERE m.sale_line_id = ANY(%s) AND m.state = 'done'
              GROUP BY m.sale_line_id
                """,
                ids,
            )
        )
        moves = {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}
        self.env.cr.execute(
            SQL(
                """
                SELECT l.sale_line_id, COALESCE(SUM(l.product_qty), 0)
                  FROM osb_return_line l
                  JOIN osb_return r ON r.id = l.return_id
                 WHERE l.sale_line_id = ANY(%s) AND r.state IN %s
              GROUP BY l.sale_line_id
                """,
                ids,
                COUNTED_STATES,
            )
        )
        returns = dict(self.env.cr.fetchall())
        return {
            sid: (moves.get(sid, (0.0, 0.0))[0], moves.get(sid, (0.0, 0.0))[1] + returns.get(sid, 0.0)) for sid in ids
        }

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _demo_returns(self, order_id):
        """Demo data: confirm, deliver and invoice the order, then return some of
        its goods: a draft return, a submitted one, one refunded."""
        order = self.env["sale.order"].browse(order_id)
        if order.state != "sale":
            order.action_confirm()
        pickings = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        pickings.with_context(skip_sms=True)._action_done()
        order._create_invoices().action_post()
        line = order.order_line[:1]
        draft, submitted, refunded = self.create(
            [
                {
                    "order_id": order.id,
                    "note": note,
                    "line_ids": [Command.create({"sale_line_id": line.id, "quantity": qty, "reason": reason})],
                }
                for qty, reason, note in (
                    (2, "wrong_shipment", "客户收到的年份不对"),
                    (3, "expired", "临期产品，客户要求退回"),
                    (6, "quality", "瓶塞渗漏"),
                )
            ]
        )
        (submitted | refunded).action_submit()
        refunded.action_approve()
        for move in refunded.picking_ids.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        refunded.picking_ids.with_context(skip_sms=True)._action_done()
        refunded.credit_note_ids.action_post()
        return draft | submitted | refunded
