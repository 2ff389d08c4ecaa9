# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.sales_team_mgmt.tools import format_error_list


class OsbPopIssueLine(models.Model):
    """A line of a POP issue: a POP product and its quantity. Its value is the
    quantity at the product's cost when requested (committed), then the quantity
    delivered at the product's cost at validation (spent), ``unit_cost`` stored."""

    _name = "osb.pop.issue.line"
    _description = "POP Issue Line"
    _order = "issue_id, id"
    _check_company_auto = True
    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a POP issue line must be positive."),
    ]

    issue_id = fields.Many2one("osb.pop.issue", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="issue_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="issue_id.currency_id", string="Currency")
    budget_id = fields.Many2one(related="issue_id.budget_id", store=True, index="btree_not_null")
    state = fields.Selection(related="issue_id.state", store=True)
    # Who sees the line: as its issue (the rules of security/osb_pop_rules.xml mirror the issue's).
    user_id = fields.Many2one(related="issue_id.user_id", store=True, string="Salesperson")
    team_id = fields.Many2one(related="issue_id.team_id", store=True, string="Sales Team")
    product_id = fields.Many2one(
        "product.product", required=True, check_company=True, domain="[('osb_pop', '=', True)]"
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(digits="Product Unit of Measure", required=True, default=1.0)
    quantity_done = fields.Float(string="Delivered", digits="Product Unit of Measure", readonly=True)
    unit_cost = fields.Float(
        digits="Product Price",
        readonly=True,
        help="The product's cost when the issue was requested, then at the validation of its picking.",
    )
    amount = fields.Monetary(string="Value", compute="_compute_amount", store=True, currency_field="currency_id")

    @api.depends("quantity", "quantity_done", "unit_cost", "issue_id.state")
    def _compute_amount(self):
        for line in self:
            quantity = line.quantity_done if line.issue_id.state == "done" else line.quantity
            line.amount = quantity * line.unit_cost

    @api.model_create_multi
    def create(self, vals_list):
        self._sales_check_input(vals_list)
        self._pop_check_vals(vals_list)
        lines = super().create(vals_list)
        if not self.env.su and lines.issue_id.filtered(lambda i: i.state != "draft"):
            raise UserError(self.env._("Lines: only a draft POP issue gets new lines."))
        return lines

    def write(self, vals):
        self._sales_check_input([vals])
        if not self.env.su and {"unit_cost", "quantity_done"} & set(vals):
            raise UserError(self.env._("Unit Cost / Delivered: set by the server when requested and delivered."))
        if {"product_id", "quantity", "issue_id"} & set(vals):
            if not self.env.su and self.issue_id.filtered(lambda i: i.state != "draft"):
                raise UserError(self.env._("Lines: only the lines of a draft POP issue change."))
            self._pop_check_vals([vals])
        return super().write(vals)

    @api.model
    def _pop_check_vals(self, vals_list):
        """Clear errors naming the field: a POP product, a positive quantity."""
        errors = []
        product_ids = {vals["product_id"] for vals in vals_list if vals.get("product_id")}
        products = self.env["product.product"].browse(product_ids).exists()
        not_pop = products.filtered(lambda p: not p.osb_pop)
        for vals in vals_list:
            if "quantity" in vals and (vals.get("quantity") or 0.0) <= 0:
                errors.append(
                    self.env._(
                        "Quantity: %(quantity)s; a POP issue line issues a positive quantity.",
                        quantity=vals.get("quantity"),
                    )
                )
        for product in not_pop:
            errors.append(
                self.env._("Product: %(product)s is not a POP material (POP 物料).", product=product.display_name)
            )
        if errors:
            raise ValidationError(format_error_list(errors))

    def _pop_check_lines(self):
        self._pop_check_vals([{"product_id": line.product_id.id, "quantity": line.quantity} for line in self])
