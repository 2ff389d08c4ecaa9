# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kpi_max_growth = fields.Float(related="company_id.kpi_max_growth", readonly=False)
    kpi_lost_customer_months = fields.Integer(related="company_id.kpi_lost_customer_months", readonly=False)
    scorecard_late_tolerance = fields.Integer(related="company_id.scorecard_late_tolerance", readonly=False)
