# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from dateutil.relativedelta import relativedelta

from odoo import fields, models


class SalesScorecardGenerate(models.TransientModel):
    """Generate (or recompute) the scorecards of a month for every member."""

    _name = "sales.scorecard.generate"
    _description = "Generate Scorecards"

    month = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1) - relativedelta(months=1),
        help="Any day of the month to score.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    def action_generate(self):
        self.ensure_one()
        result = self.env["sales.scorecard"].generate_month(fields.Date.to_string(self.month), self.company_id.id)
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_kpi.action_sales_scorecard")
        action["domain"] = [("id", "in", result["scorecard_ids"])]
        return action
