# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesCustomerClass(models.Model):
    """A class of customers (VIP, level 1, level 2, other): how often its
    customers are visited, and the trailing-12-month sales from which the
    monthly classification puts a customer in it (the highest class whose
    threshold the customer reaches)."""

    _name = "sales.customer.class"
    _description = "Customer Class"
    _order = "min_sales desc, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    visit_interval = fields.Integer(
        string="Visit Every (days)",
        help="A customer of this class is visited at least this often; 0: no planned visits.",
    )
    min_sales = fields.Monetary(
        string="Sales over 12 Months From",
        currency_field="currency_id",
        help="The monthly classification puts a customer in the highest class whose threshold its confirmed "
        "sales of the last 12 months (untaxed, company currency) reach.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")

    _sql_constraints = [
        ("code_company_uniq", "UNIQUE(code, company_id)", "The code of a customer class is unique per company."),
    ]

    @api.constrains("visit_interval", "min_sales")
    def _check_values(self):
        for customer_class in self:
            if customer_class.visit_interval < 0:
                raise ValidationError(
                    self.env._("Visit Every (days): %(class)s cannot be negative.", **{"class": customer_class.name})
                )
            if customer_class.min_sales < 0:
                raise ValidationError(
                    self.env._(
                        "Sales over 12 Months From: %(class)s cannot be negative.", **{"class": customer_class.name}
                    )
                )

    def _compute_partner_count(self):
        counts = {}
        for company in self.company_id:
            Partner = self.env["res.partner"].with_company(company)
            groups = Partner._read_group([("sales_class_id", "in", self.ids)], ["sales_class_id"], ["__count"])
            counts.update(dict(groups))
        for customer_class in self:
            customer_class.partner_count = counts.get(customer_class, 0)

    def _class_ladder(self):
        """``[(threshold, class)]`` of ``self`` (the classes of one company) from
        the highest threshold down: sales reach the first class whose threshold
        is at or below them (sequence, then id, on equal thresholds)."""
        return [(c.min_sales, c) for c in self.sorted(lambda c: (-c.min_sales, c.sequence, c.id))]
