# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class SalesScorecardTemplateLine(models.Model):
    """A KPI line (KPI, weight, curve, gate) or a rubric line (item, points, who
    scores it) of a scorecard template."""

    _name = "sales.scorecard.template.line"
    _description = "Scorecard Template Line"
    _inherit = ["sales.scorecard.curve.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    template_id = fields.Many2one(
        "sales.scorecard.template", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="template_id.company_id", store=True, index=True)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._sales_check_template()
        return lines

    def write(self, vals):
        templates = self.template_id
        res = super().write(vals)
        (templates | self.template_id)._sales_check_lines()
        return res

    def unlink(self):
        templates = self.template_id
        res = super().unlink()
        templates.exists()._sales_check_lines()
        return res

    def _sales_check_template(self):
        self.template_id._sales_check_lines()
