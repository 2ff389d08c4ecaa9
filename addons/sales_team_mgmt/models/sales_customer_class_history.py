# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class SalesCustomerClassHistory(models.Model):
    """Each change of a customer's class in a company: by the monthly
    classification (with the sales it read) or by hand (with the reason)."""

    _name = "sales.customer.class.history"
    _description = "Customer Class History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True)
    class_id = fields.Many2one("sales.customer.class", ondelete="restrict")
    previous_class_id = fields.Many2one("sales.customer.class", ondelete="restrict")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)
    automatic = fields.Boolean(help="Set by the monthly classification.")
    sales_12m = fields.Monetary(string="Sales over 12 Months", currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    reason = fields.Char()
