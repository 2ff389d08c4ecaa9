# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    kpi_max_growth = fields.Float(
        string="Maximum Growth without Justification (%)",
        default=50.0,
        help="A target growing more than this over last year's actual needs a written justification.",
    )
    kpi_lost_customer_months = fields.Integer(
        string="Months without Order before a Customer is Lost",
        default=6,
    )
    scorecard_late_tolerance = fields.Integer(
        string="Late Tolerance (minutes)",
        default=5,
        help="A check-in later than the start of the working day plus this many minutes counts as late "
        "on the scorecards.",
    )
