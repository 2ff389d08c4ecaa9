# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .osb_credit_policy import GRADES

_logger = logging.getLogger(__name__)

# Customers reviewed per run of the quarterly cron (each batch committed by the cron runner).
REVIEW_BATCH = 5000


class OsbCreditReview(models.Model):
    """Quarterly credit limit review of one customer: approved or rejected in
    batch by credit managers; large increases also need an SLT member. Its two
    approvals are steps of the approval engine (sales.approval.mixin)."""

    _approval_state_field = "state"

    _name = "osb.credit.review"
    _description = "Credit Limit Review"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.approval.mixin"]
    _order = "date desc, delta desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True
    _sql_constraints = [
        ("partner_quarter_uniq", "UNIQUE(partner_id, company_id, date)", "One review per customer and quarter."),
    ]

    date = fields.Date(string="Quarter", required=True, readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Salesperson (KAM)", readonly=True)
    grade = fields.Selection(GRADES, readonly=True)
    sales_12m = fields.Monetary(string="Sales 12 Months", readonly=True)
    sales_prev_12m = fields.Monetary(string="Sales Previous 12 Months", readonly=True)
    adjustment = fields.Monetary(string="Active Adjustments", readonly=True)
    current_limit = fields.Monetary(readonly=True)
    proposed_limit = fields.Monetary(readonly=True, tracking=True)
    delta = fields.Monetary(compute="_compute_delta", store=True)
    needs_slt = fields.Boolean(
        string="Needs SLT Approval", readonly=True, help="The increase is above the SLT threshold of the policy."
    )
    state = fields.Selection(
        [("to_approve", "To Approve"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="to_approve",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    credit_approver_id = fields.Many2one("res.users", string="Credit Approval", readonly=True, tracking=True)
    slt_approver_id = fields.Many2one("res.users", string="SLT Approval", readonly=True, tracking=True)

    @api.depends("current_limit", "proposed_limit")
    def _compute_delta(self):
        for review in self:
            review.delta = review.proposed_limit - review.current_limit

    def write(self, vals):
        # A review changes only through its actions, which write as superuser after their
        # checks: no one sets an approver, the state, the limits or the SLT flag directly.
        # The chatter (followers, activities, messages) stays open to users with write access.
        if not self.env.su:
            locked = set(vals) - self._osb_chatter_fields()
            if locked:
                raise AccessError(
                    self.env._(
                        "Credit reviews change only through their Approve, SLT Approve and Reject actions: "
                        "%(fields)s cannot be written.",
                        fields=", ".join(sorted(locked)),
                    )
                )
        return super().write(vals)

    @api.model
    def _cron_quarterly_review(self, limit=REVIEW_BATCH):
        """Quarterly: open, in each company under credit control, the reviews of up
        to ``limit`` customers without one this quarter, and tell Odoo's cron runner
        how many remain (progress API): it commits each batch and runs the next, so
        a run cut short resumes with the customers left, and a run when every
        customer has its review changes nothing."""
        today = fields.Date.context_today(self)
        done = remaining = 0
        for policy in self.env["osb.credit.policy"].sudo().search([("enforce", "=", True)]):
            todo = self._review_todo(policy.company_id, today)
            batch = todo[: max(limit - done, 0)]
            if batch:
                self._open_reviews(policy.company_id, today, partners=batch)
            done += len(batch)
            remaining += len(todo) - len(batch)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return True

    @api.model
    def _review_todo(self, company, today, partners=None):
        """The commercial partners (default: the rated customers of ``company``)
        without a review for the quarter of ``today``."""
        self = self.sudo()
        quarter = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
        partners = (partners or self.env["osb.credit.rating"]._rated_partners(company)).commercial_partner_id
        existing = set(self.search([("company_id", "=", company.id), ("date", "=", quarter)]).partner_id.ids)
        return partners.filtered(lambda p: p.id not in existing)

    @api.model
    def _open_reviews(self, company, today, partners=None, batch_size=1000):
        """One review per customer for the quarter of ``today``; idempotent."""
        self = self.sudo()
        quarter = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
        Rating = self.env["osb.credit.rating"]
        partners = self._review_todo(company, today, partners=partners)
        policy = self.env["osb.credit.policy"]._get_policy(company).sudo()
        reviews = self.browse()
        for start in range(0, len(partners), batch_size):
            batch = partners[start : start + batch_size]
            metrics = Rating._customer_metrics(batch, company, today)
            adjustments = self.env["osb.credit.adjustment"]._active_totals(batch.ids, company)
            vals_list = []
            for partner in batch.with_company(company):
                m = metrics[partner.id]
                grade = partner.osb_credit_grade or policy._grade_for_score(
                    policy._score(m["avg_days_late"], m["overdue"], m["receivable"], m["years"], m["sales_12m"])[
                        "score"
                    ]
                )
                adjustment = adjustments.get(partner.id, 0.0)
                proposed = policy._proposed_limit(
                    grade, m["sales_12m"], m["sales_prev_12m"], adjustment=adjustment, is_new=m["is_new"]
                )
                current = partner.credit_limit
                vals_list.append(
                    {
                        "date": quarter,
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "user_id": partner.user_id.id,
                        "grade": grade,
                        "sales_12m": m["sales_12m"],
                        "sales_prev_12m": m["sales_prev_12m"],
                        "adjustment": adjustment,
                        "current_limit": current,
                        "proposed_limit": proposed,
                        "needs_slt": proposed - current > policy.review_slt_threshold,
                    }
                )
            created = self.create(vals_list)
            created._approval_enter(0)
            reviews |= created
            _logger.info(
                "Credit reviews %s: %s/%s customers",
                company.name,
                min(start + batch_size, len(partners)),
                len(partners),
            )
        return reviews

    @api.model
    def _osb_chatter_fields(self):
        """Fields of the mail mixins, which users with write access may still change."""
        fields_ = set(self.env["mail.thread"]._fields) | set(self.env["mail.activity.mixin"]._fields)
        return fields_ - set(models.MAGIC_COLUMNS) - {"display_name"}

    # ------------------------------------------------------------------
    # Approval steps: the credit manager, then an SLT member above the threshold
    # ------------------------------------------------------------------
    @api.model
    def _get_approval_steps(self):
        return [
            self._approval_step(
                "credit",
                self.env._("Credit Manager"),
                group="osb_credit.group_osb_credit_manager",
                approver_field="credit_approver_id",
            ),
            self._approval_step(
                "slt",
                self.env._("SLT Member"),
                needed="_osb_needs_slt",
                assign="_osb_assign_slt",
                allowed="_osb_slt_allowed",
                approver_field="slt_approver_id",
            ),
        ]

    def _osb_needs_slt(self):
        return self.filtered("needs_slt")

    def _osb_assign_slt(self):
        """The customer's responsible SLT member gets the activity, when an SLT member."""
        slt = self.partner_id.osb_slt_user_id
        members = slt.filtered(lambda u: u._sales_is_slt_member())
        return {review.id: review.partner_id.osb_slt_user_id & members for review in self}

    def _osb_slt_allowed(self, user):
        return self if user._sales_is_slt_member() else self.browse()

    def _approval_notify_partners(self):
        return self.user_id.partner_id

    def _approval_on_approved(self):
        """Set the new limit (tracked in the customer's chatter)."""
        for review in self:
            review.partner_id.with_company(review.company_id).sudo().write({"credit_limit": review.proposed_limit})

    def _check_manager(self):
        if not self.env.user.has_group("osb_credit.group_osb_credit_manager"):
            raise AccessError(self.env._("Only credit managers approve or reject credit reviews."))

    def action_approve(self):
        """Credit manager approval, in batch. An SLT member who is also a credit
        manager gives both approvals at once."""
        self._check_manager()
        if self.filtered(lambda r: r.state != "to_approve"):
            raise UserError(self.env._("Only reviews to approve can be approved."))
        self._approval_approve(step_code="credit")
        return True

    def action_slt_approve(self):
        """SLT member approval of large increases, in batch."""
        if not self.env.user._sales_is_slt_member():
            raise AccessError(self.env._("Only SLT members give the SLT approval of a credit review."))
        self = self.sudo()
        if self.filtered(lambda r: r.state != "to_approve"):
            raise UserError(self.env._("Only reviews to approve can be approved."))
        self._approval_approve(step_code="slt")
        return True

    def action_reject(self):
        self._check_manager()
        if self.filtered(lambda r: r.state != "to_approve"):
            raise UserError(self.env._("Only reviews to approve can be rejected."))
        # Credit managers reject at any step.
        self.sudo()._approval_reject(self.env._("Rejected by the credit manager."))
        return True
