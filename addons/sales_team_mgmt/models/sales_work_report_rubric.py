# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

REPORT_TYPES = [("daily", "Daily Log"), ("weekly", "Weekly Report"), ("monthly", "Monthly Report")]


class SalesWorkReportRubric(models.Model):
    """How the reviewer scores a type of work report: items and their points
    (data, editable). The first active rubric of the report's type, of its
    company or of all companies, applies."""

    _name = "sales.work.report.rubric"
    _description = "Work Report Rubric"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    report_type = fields.Selection(REPORT_TYPES, required=True, index=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: every company.")
    item_ids = fields.One2many("sales.work.report.rubric.item", "rubric_id", string="Items", copy=True)
    total_points = fields.Float(compute="_compute_total_points", store=True, help="The sum of the items' points.")

    @api.depends("item_ids.points")
    def _compute_total_points(self):
        for rubric in self:
            rubric.total_points = sum(rubric.item_ids.mapped("points"))

    @api.model
    def _get_rubrics(self, reports):
        """``{report id: rubric}`` for ``reports`` (an empty rubric when none applies):
        one search for all of them."""
        rubrics = self.sudo().search(
            [
                ("report_type", "in", list(set(reports.mapped("report_type")))),
                ("company_id", "in", [*reports.company_id.ids, False]),
            ]
        )
        result = {}
        for report in reports:
            candidates = rubrics.filtered(
                lambda r, rep=report: (
                    r.report_type == rep.report_type and (not r.company_id or r.company_id == rep.company_id)
                )
            )
            # the company's own rubric before the shared one, then by sequence
            own = candidates.filtered(lambda r, rep=report: r.company_id == rep.company_id)
            result[report.id] = (own or candidates)[:1]
        return result
