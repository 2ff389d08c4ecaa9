# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class OsbCreditRelease(models.Model):
    """A credit manager's release of one order, on record: who, when, why, for
    how much and until when. The credit check honours it server side."""

    _name = "osb.credit.release"
    _description = "Credit Hold Release"
    _order = "id desc"
    _check_company_auto = True
    _sql_constraints = [
        ("released_amount_positive", "CHECK(released_amount > 0)", "The released amount must be positive."),
    ]

    order_id = fields.Many2one(
        "sale.order", required=True, index=True, ondelete="restrict", readonly=True, check_company=True
    )
    partner_id = fields.Many2one(related="order_id.osb_credit_partner_id", string="Customer", store=True, index=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Released By", required=True, readonly=True, default=lambda self: self.env.user
    )
    release_date = fields.Datetime(string="Released On", required=True, readonly=True, default=fields.Datetime.now)
    reason = fields.Text(required=True, readonly=True)
    released_amount = fields.Monetary(
        required=True, readonly=True, help="Order amount (company currency, incl. taxes) the release covers."
    )
    valid_until = fields.Date(required=True, readonly=True)
    hold_reason = fields.Selection(related="order_id.credit_hold_reason", string="Hold Reason")
    hold_message = fields.Text(readonly=True, help="The hold the release lifted.")
    is_valid = fields.Boolean(string="Valid", compute="_compute_is_valid")

    @api.depends("valid_until")
    def _compute_is_valid(self):
        today = fields.Date.context_today(self)
        for release in self:
            release.is_valid = release.valid_until >= today

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.user.has_group("osb_credit.group_osb_credit_manager"):
            raise AccessError(self.env._("Only credit managers can release credit holds."))
        self._sales_check_input(vals_list)  # before the values are read below
        today = fields.Date.context_today(self)
        for vals in vals_list:
            order = self.env["sale.order"].browse(vals.get("order_id")).exists()
            if not order:
                raise ValidationError(self.env._("A release needs an order."))
            if not order.credit_hold or order.state not in ("draft", "sent"):
                raise ValidationError(
                    self.env._(
                        "Order: %(order)s is not on credit hold; only an order the credit check holds can be released.",
                        order=order.display_name,
                    )
                )
            if not (vals.get("reason") or "").strip():
                raise ValidationError(self.env._("Give the reason of the release."))
            policy = self.env["osb.credit.policy"]._get_policy(order.company_id)
            vals.setdefault("released_amount", order._osb_amount_company())
            vals.setdefault("valid_until", today + timedelta(days=policy.release_validity_days))
            if fields.Date.to_date(vals["valid_until"]) < today:
                raise ValidationError(self.env._("A release cannot end in the past."))
            if vals["released_amount"] <= 0:
                raise ValidationError(self.env._("The released amount must be positive."))
            # Who and when are always the current user and now.
            vals.update(
                user_id=self.env.user.id,
                release_date=fields.Datetime.now(),
                hold_message=order.credit_hold_message or False,
            )
        releases = super().create(vals_list)
        held = releases.order_id.filtered("credit_hold")
        for order in held:
            order.message_post(
                body=self.env._(
                    "Credit hold released by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=releases.filtered(lambda r, order=order: r.order_id == order)[:1].reason,
                )
            )
        if held:
            held.action_confirm()
            still = held.filtered("credit_hold")
            if still:
                raise UserError(
                    self.env._(
                        "The release does not cover %(orders)s: the released amount is below the order amount.",
                        orders=", ".join(still.mapped("name")),
                    )
                )
        return releases

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Credit releases are kept on record and cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("Credit releases are kept on record and cannot be deleted."))
