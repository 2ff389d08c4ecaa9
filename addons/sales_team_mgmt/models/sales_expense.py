# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount

EXPENSE_CATEGORIES = [
    ("travel", "Travel"),
    ("entertainment", "Customer Entertainment"),
    ("marketing", "Marketing and Promotion"),
    ("office", "Office Supplies"),
    ("other", "Other"),
]
EXPENSE_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancel", "Cancelled"),
]
# What the salesperson states; frozen once submitted (a rejected expense is edited again).
CONTENT_FIELDS = frozenset(
    ("user_id", "team_id", "date", "category", "amount", "partner_id", "order_id", "description", "company_id")
)
EDITABLE_STATES = ("draft", "rejected")


class SalesExpense(models.Model):
    """An expense of a salesperson (travel, customer entertainment, promotion...)
    that needs approval before it is spent or reimbursed: every expense is
    approved by the nearest leader up the salesperson's team tree whose role's
    maximum expense amount (``sales.role.max_expense_amount``) covers it, as an
    order above the salesperson's authority is (the approval engine's authority
    helpers). Team-scoped: the salesperson sees theirs, leaders their subtree's.
    Approved expenses feed the ``expenses`` KPI source (sales_kpi)."""

    _name = "sales.expense"
    _description = "Sales Expense"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.team.scoped.mixin", "sales.approval.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _approval_state_field = "state"
    # A sales administrator approves any expense.
    _approval_admin_group = "sales_team.group_sale_manager"

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(string="Salesperson", required=True, tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    category = fields.Selection(EXPENSE_CATEGORIES, required=True, default="travel", tracking=True)
    amount = fields.Monetary(required=True, tracking=True, help="The amount spent or to spend, in company currency.")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index="btree_not_null", check_company=True, help="The customer concerned."
    )
    order_id = fields.Many2one(
        "sale.order",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
        help="The order the expense serves, if any.",
    )
    description = fields.Text(required=True, help="What the expense is for.")
    state = fields.Selection(
        EXPENSE_STATES, required=True, default="draft", readonly=True, copy=False, index=True, tracking=True
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    @api.constrains("amount")
    def _check_amount(self):
        wrong = self.filtered(lambda e: e.currency_id.compare_amounts(e.amount, 0.0) <= 0)
        if wrong:
            raise ValidationError(
                self.env._(
                    "Amount: an expense amount must be positive (%(names)s).", names=", ".join(wrong.mapped("name"))
                )
            )

    @api.constrains("order_id", "partner_id")
    def _check_order_partner(self):
        for expense in self.filtered("order_id"):
            partner = expense.order_id.partner_id.commercial_partner_id
            if expense.partner_id and partner != expense.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Order: %(order)s is an order of %(other)s, not of the customer %(customer)s.",
                        order=expense.order_id.name,
                        other=partner.display_name,
                        customer=expense.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._sales_check_input(vals_list)  # before the values are read below
        for vals in vals_list:
            self._check_own_expense(vals.get("user_id"))
            if vals.get("order_id") and not vals.get("partner_id"):
                vals["partner_id"] = self.env["sale.order"].browse(vals["order_id"]).partner_id.id
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("sales.expense") or "/"
        return super().create(vals_list)

    def write(self, vals):
        self._sales_check_input([vals])  # before the values are read below
        if not self.env.su and not CONTENT_FIELDS.isdisjoint(vals):
            frozen = self.filtered(lambda e: e.state not in EDITABLE_STATES)
            if frozen:
                raise UserError(
                    self.env._(
                        "%(names)s is submitted, approved or cancelled: it cannot be edited (a rejected expense can).",
                        names=", ".join(frozen.mapped("name")),
                    )
                )
            if "user_id" in vals:
                self._check_own_expense(vals["user_id"])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if self.filtered(lambda e: e.state not in ("draft", "cancel")):
            raise UserError(self.env._("Only a draft or cancelled expense can be deleted; cancel it first."))

    def _check_own_expense(self, user_id):
        """A salesperson records their own expenses; a sales administrator records anyone's."""
        if self.env.su or not user_id or user_id == self.env.uid:
            return
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise ValidationError(self.env._("Salesperson: you record your own expenses, not those of another person."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        """Ask for the approval of these expenses (draft or rejected): the nearest
        leader whose authority covers each amount gets an activity."""
        wrong = self.filtered(lambda e: e.state not in EDITABLE_STATES)
        if wrong:
            raise UserError(
                self.env._("%(names)s is already submitted or closed.", names=", ".join(wrong.mapped("name")))
            )
        self.check_access("write")
        others = self.filtered(lambda e: e.user_id != self.env.user)
        if others and not self.env.su and not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(
                self.env._("Only its salesperson submits %(names)s.", names=", ".join(others.mapped("name")))
            )
        self.sudo().write({"approved_by_id": False})
        self._approval_start()
        return True

    def action_approve(self):
        """Approve these expenses (their approver, a leader above whose authority
        covers them, or a sales administrator; a whole list at once)."""
        return self.action_approval_approve()

    def action_reject(self, reason=None):
        """Reject with ``reason``; without it, open the wizard asking for it."""
        return self.action_approval_reject(reason)

    def action_cancel(self):
        wrong = self.filtered(lambda e: e.state in ("approved", "cancel"))
        if wrong:
            raise UserError(
                self.env._(
                    "%(names)s is approved or cancelled already: it cannot be cancelled.",
                    names=", ".join(wrong.mapped("name")),
                )
            )
        self.check_access("write")
        self._approval_reset()
        self.sudo().write({"state": "cancel"})
        return True

    def action_draft(self):
        wrong = self.filtered(lambda e: e.state not in ("rejected", "cancel"))
        if wrong:
            raise UserError(
                self.env._(
                    "Only a rejected or cancelled expense goes back to draft (%(names)s).",
                    names=", ".join(wrong.mapped("name")),
                )
            )
        self.check_access("write")
        self.sudo().write({"state": "draft", "approval_reason": False})
        return True

    # ------------------------------------------------------------------
    # Approval engine: one step, by authority
    # ------------------------------------------------------------------
    @api.model
    def _get_approval_steps(self):
        return [
            self._approval_step(
                "authority",
                self.env._("Expense Authority"),
                assign="_approval_authority_approvers",
                allowed="_approval_authority_allowed",
                approver_field="approved_by_id",
            )
        ]

    def _approval_authority_missing_message(self):
        return self.env._(
            "No leader up the sales organisation can approve %(names)s: set the team leaders and "
            "their roles' maximum expense amount, or an SLT team.",
            names=", ".join(self.mapped("name")),
        )

    def _approval_authority_covers(self, authority):
        if not authority:
            return False
        return authority.unlimited or self.currency_id.compare_amounts(self.amount, authority.max_expense_amount) <= 0

    def _approval_guarded_fields(self):
        return super()._approval_guarded_fields() | {"approved_by_id"}

    def _approval_guard_message(self):
        return self.env._(
            "The status of an expense is set only through its Submit, Approve, Reject and Cancel actions; "
            "it cannot be written directly."
        )

    def _approval_request_texts(self, step, approver):
        self.ensure_one()
        amount = format_amount(self.env, self.amount, self.currency_id)
        summary = self.env._("Approve expense %(name)s (%(amount)s)", name=self.name, amount=amount)
        note = self.env._(
            "%(user)s asks for the approval of the expense %(name)s: %(category)s, %(amount)s. %(description)s",
            user=self.user_id.name,
            name=self.name,
            category=dict(self._fields["category"]._description_selection(self.env))[self.category],
            amount=amount,
            description=self.description,
        )
        body = self.env._("Approval requested from %(approver)s.", approver=approver.name)
        return summary, note, body

    def _approval_approved_text(self, step):
        return self.env._(
            "Expense approved by %(user)s for %(amount)s.",
            user=self.env.user.name,
            amount=format_amount(self.env, self.amount, self.currency_id),
        )

    def _approval_rejected_text(self, reason):
        return self.env._("Expense rejected by %(user)s: %(reason)s", user=self.env.user.name, reason=reason)

    def _approval_notify_partners(self):
        return self.user_id.partner_id

    def _approval_refused_message(self, refused):
        return self.env._(
            "You cannot approve or reject %(names)s: only %(approvers)s, a leader above them whose authority "
            "covers the amount, or a sales administrator can.",
            names=", ".join(refused.mapped("name")),
            approvers=", ".join(refused.approver_id.mapped("name")),
        )
