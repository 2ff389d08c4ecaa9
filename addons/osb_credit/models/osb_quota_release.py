# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class OsbQuotaRelease(models.Model):
    """The SSG leader's release of an order the quota check holds, on record
    (``osb.hold.release.mixin``): it covers the order's total quantity at the
    release; an order that grows beyond it is checked again."""

    _name = "osb.quota.release"
    _inherit = ["osb.hold.release.mixin"]
    _description = "Quota Hold Release"
    _sql_constraints = [
        ("released_quantity_positive", "CHECK(released_quantity > 0)", "The released quantity must be positive."),
    ]

    partner_id = fields.Many2one(
        related="order_id.partner_id.commercial_partner_id", string="Customer", store=True, index=True
    )
    released_quantity = fields.Float(
        digits="Product Unit of Measure",
        required=True,
        readonly=True,
        help="Total quantity of the order's products (in their units) the release covers.",
    )

    @api.model
    def _release_group(self):
        return "osb_credit.group_osb_ssg_leader"

    @api.model
    def _release_denied_message(self):
        return self.env._("Only the SSG leader can release quota holds.")

    @api.model
    def _release_is_held(self, order):
        return order.osb_quota_hold

    @api.model
    def _release_not_held_message(self, order):
        return self.env._(
            "Order: %(order)s is not on quota hold; only an order the quota check holds can be released.",
            order=order.display_name,
        )

    @api.model
    def _release_prepare_vals(self, order, vals):
        vals.setdefault("released_quantity", order._osb_quota_total())
        if not vals["released_quantity"] or vals["released_quantity"] <= 0:
            raise ValidationError(self.env._("Released Quantity: the released quantity must be positive."))

    @api.model
    def _release_hold_message(self, order):
        return order.osb_quota_hold_message

    def _release_posted_text(self, release):
        return self.env._("Quota hold released by %(user)s: %(reason)s", user=self.env.user.name, reason=release.reason)

    @api.model
    def _release_short_message(self, orders):
        return self.env._(
            "The release does not cover %(orders)s: the released quantity is below the order's quantity.",
            orders=", ".join(orders.mapped("name")),
        )
