# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesKpi(models.Model):
    """A key performance indicator: what is measured, in which unit, and
    whether higher or lower is better."""

    _name = "sales.kpi"
    _description = "Sales KPI"
    _inherit = ["mail.thread"]
    _order = "sequence, code, id"
    _check_company_auto = True
    _sql_constraints = [
        ("code_company_uniq", "UNIQUE(code, company_id)", "A KPI code must be unique per company."),
    ]

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, tracking=True)
    name = fields.Char(required=True, translate=True, tracking=True)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    unit = fields.Selection(
        [
            ("amount", "Amount"),
            ("quantity", "Quantity"),
            ("count", "Count"),
            ("percent", "Percentage"),
            ("minutes", "Minutes"),
            ("score", "Score"),
        ],
        required=True,
        default="amount",
        tracking=True,
    )
    direction = fields.Selection(
        [("higher", "Higher is better"), ("lower", "Lower is better")],
        required=True,
        default="higher",
        tracking=True,
    )
    source = fields.Selection(
        [("manual", "Manual")],
        required=True,
        default="manual",
        tracking=True,
        help="Where the actual value comes from. Manual: entered by the manager.",
    )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for kpi in self:
            kpi.display_name = f"[{kpi.code}] {kpi.name}" if kpi.code else kpi.name

    @api.constrains("code")
    def _check_code(self):
        for kpi in self:
            code = (kpi.code or "").strip()
            if not code or not code.replace("_", "").isalnum():
                raise ValidationError(
                    self.env._(
                        "The KPI code %(code)r may only contain letters, digits and underscores.",
                        code=kpi.code,
                    )
                )
