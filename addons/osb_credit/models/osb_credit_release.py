# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class OsbCreditRelease(models.Model):
    """A credit manager's release of one order, on record: who, when, why, for
    how much and until when (``osb.hold.release.mixin``). The credit check honours
    it server side."""

    _name = "osb.credit.release"
    _inherit = ["osb.hold.release.mixin"]
    _description = "Credit Hold Release"
    _sql_constraints = [
        ("released_amount_positive", "CHECK(released_amount > 0)", "The released amount must be positive."),
    ]

    partner_id = fields.Many2one(related="order_id.osb_credit_partner_id", string="Customer", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    released_amount = fields.Monetary(
        required=True, readonly=True, help="Order amount (company currency, incl. taxes) the release covers."
    )
    hold_reason = fields.Selection(related="order_id.credit_hold_reason", string="Hold Reason")

    @api.model
    def _release_group(self):
        return "osb_credit.group_osb_credit_manager"

    @api.model
    def _release_denied_message(self):
        return self.env._("Only credit managers can release credit holds.")

    @api.model
    def _release_is_held(self, order):
        return order.credit_hold

    @api.model
    def _release_not_held_message(self, order):
        return self.env._(
            "Order: %(order)s is not on credit hold; only an order the credit check holds can be released.",
            order=order.display_name,
        )

    @api.model
    def _release_prepare_vals(self, order, vals):
        vals.setdefault("released_amount", order._osb_amount_company())
        if vals["released_amount"] <= 0:
            raise ValidationError(self.env._("The released amount must be positive."))

    @api.model
    def _release_hold_message(self, order):
        return order.credit_hold_message

    def _release_posted_text(self, release):
        return self.env._(
            "Credit hold released by %(user)s: %(reason)s", user=self.env.user.name, reason=release.reason
        )

    @api.model
    def _release_short_message(self, orders):
        return self.env._(
            "The release does not cover %(orders)s: the released amount is below the order amount.",
            orders=", ".join(orders.mapped("name")),
        )
