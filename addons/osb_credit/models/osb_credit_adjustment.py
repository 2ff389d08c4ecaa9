# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class OsbCreditAdjustment(models.Model):
    """A manual adjustment of a customer's proposed credit limit."""

    _name = "osb.credit.adjustment"
    _description = "Credit Limit Adjustment"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True, help="Added to the proposed limit; may be negative.")
    reason = fields.Text(required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Author", required=True, readonly=True, default=lambda self: self.env.user
    )
    date_expiry = fields.Date(string="Valid Until", tracking=True, help="Empty: no expiry.")
    is_active = fields.Boolean(string="Active", compute="_compute_is_active", search="_search_is_active")

    @api.depends("date_expiry")
    def _compute_is_active(self):
        today = fields.Date.context_today(self)
        for adjustment in self:
            adjustment.is_active = not adjustment.date_expiry or adjustment.date_expiry >= today

    def _search_is_active(self, operator, value):
        today = fields.Date.context_today(self)
        domain = ["|", ("date_expiry", "=", False), ("date_expiry", ">=", today)]
        positive = (operator == "=") == bool(value)
        return domain if positive else [("date_expiry", "<", today)]

    @api.constrains("amount", "reason")
    def _check_amount_reason(self):
        for adjustment in self:
            if not adjustment.amount:
                raise ValidationError(self.env._("An adjustment needs a non-zero amount."))
            if not (adjustment.reason or "").strip():
                raise ValidationError(self.env._("An adjustment needs a reason."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["user_id"] = self.env.user.id
        return super().create(vals_list)

    def write(self, vals):
        if "user_id" in vals and not self.env.su and any(adj.user_id.id != vals["user_id"] for adj in self):
            raise UserError(
                self.env._("The author of a limit adjustment is the user who created it: it cannot be changed.")
            )
        return super().write(vals)

    @api.model
    def _active_totals(self, partner_ids, company):
        """Sum of the active adjustments per partner (one query)."""
        groups = self.sudo()._read_group(
            [("partner_id", "in", list(partner_ids)), ("company_id", "=", company.id), ("is_active", "=", True)],
            ["partner_id"],
            ["amount:sum"],
        )
        return {partner.id: amount for partner, amount in groups}
