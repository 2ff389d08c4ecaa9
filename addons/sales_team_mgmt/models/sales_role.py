# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.tools import format_amount

# Fields that change what a user may confirm without approval.
AUTHORITY_FIELDS = {"unlimited_authority", "max_order_amount", "max_discount", "sequence", "company_id", "active"}


class SalesRole(models.Model):
    """A position on the sales career ladder and the authority it carries."""

    _name = "sales.role"
    _description = "Sales Role"
    _inherit = ["mail.thread", "sales.registry.cache.mixin"]
    # The users' authorities are cached (res.users._sales_authority_rows).
    _registry_cache_fields = frozenset(AUTHORITY_FIELDS)
    _order = "company_id, sequence, id"
    _check_company_auto = True
    _sql_constraints = [
        (
            "code_company_uniq",
            "UNIQUE(code, company_id)",
            "A role code must be unique per company.",
        ),
        (
            "max_order_amount_positive",
            "CHECK(max_order_amount >= 0)",
            "The maximum order amount cannot be negative.",
        ),
        (
            "max_discount_range",
            "CHECK(max_discount >= 0 AND max_discount <= 100)",
            "The maximum discount must be between 0 and 100%.",
        ),
        (
            "max_expense_amount_positive",
            "CHECK(max_expense_amount >= 0)",
            "The maximum expense amount cannot be negative.",
        ),
    ]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(
        default=10,
        help="Position on the career ladder: lower comes first.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    unlimited_authority = fields.Boolean(
        tracking=True,
        help="Leadership roles (SLT) approve any amount and any discount.",
    )
    max_order_amount = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        help="Orders up to this untaxed amount, in company currency, are confirmed without approval.",
    )
    max_discount = fields.Float(
        string="Max Discount (%)",
        digits="Discount",
        tracking=True,
        help="Highest line discount this role may grant without approval.",
    )
    max_expense_amount = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        help="A leader holding this role approves the sales expenses of the people below up to this amount.",
    )
    max_order_amount_label = fields.Char(
        string="Order Authority",
        compute="_compute_max_order_amount_label",
        help="The order amount this role confirms without approval: Unlimited for leadership roles.",
    )
    description = fields.Text(translate=True)

    @api.depends("unlimited_authority", "max_order_amount", "currency_id")
    @api.depends_context("lang")
    def _compute_max_order_amount_label(self):
        for role in self:
            if role.unlimited_authority:
                role.max_order_amount_label = self.env._("Unlimited")
            else:
                role.max_order_amount_label = format_amount(self.env, role.max_order_amount, role.currency_id)

    @api.depends("name", "code")
    def _compute_display_name(self):
        for role in self:
            role.display_name = f"[{role.code}] {role.name}" if role.code else role.name
