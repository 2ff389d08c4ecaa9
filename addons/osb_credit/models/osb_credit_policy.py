# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class OsbCreditPolicy(models.Model):
    """The credit parameters of one company: every number of the rating and
    limit rules is a setting here, with the defaults of the OSB system."""

    _name = "osb.credit.policy"
    _description = "Credit Policy"
    _inherit = ["mail.thread"]
    _order = "company_id"
    _check_company_auto = True
    _sql_constraints = [
        ("company_uniq", "UNIQUE(company_id)", "A company has one credit policy."),
        (
            "new_customer_limit_positive",
            "CHECK(new_customer_limit >= 0)",
            "The new-customer credit limit cannot be negative.",
        ),
        (
            "new_customer_months_positive",
            "CHECK(new_customer_months >= 0)",
            "The new-customer period cannot be negative.",
        ),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    active = fields.Boolean(default=True)
    new_customer_limit = fields.Monetary(
        currency_field="currency_id",
        default=50000.0,
        tracking=True,
        help="Credit limit of customers younger than the new-customer period.",
    )
    new_customer_months = fields.Integer(
        default=3,
        tracking=True,
        help="Customers younger than this many months get the new-customer limit.",
    )

    @api.depends("company_id.name")
    def _compute_name(self):
        for policy in self:
            policy.name = self.env._("Credit policy of %(company)s", company=policy.company_id.name)

    @api.model
    def _get_policy(self, company=None):
        """The policy of ``company`` (default: current), created on first use."""
        company = company or self.env.company
        policy = self.sudo().with_context(active_test=False).search([("company_id", "=", company.id)], limit=1)
        if not policy:
            policy = self.sudo().create({"company_id": company.id})
        return policy.sudo(False)
