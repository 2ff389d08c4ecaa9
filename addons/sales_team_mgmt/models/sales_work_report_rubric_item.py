# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class SalesWorkReportRubricItem(models.Model):
    _name = "sales.work.report.rubric.item"
    _description = "Work Report Rubric Item"
    _order = "sequence, id"
    _sql_constraints = [
        ("points_positive", "CHECK(points > 0)", "The points of a rubric item must be positive."),
    ]

    rubric_id = fields.Many2one("sales.work.report.rubric", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Identifies the item; an automatic item's code names its check (key_visits).")
    points = fields.Float(required=True, default=10.0, help="The most a report scores on this item.")
    auto = fields.Boolean(
        string="Automatic",
        help="Scored at submission from the data, by the check its code names (key_visits: at least 2 visits"
        " done to key accounts); the reviewer may override it with a reason.",
    )
