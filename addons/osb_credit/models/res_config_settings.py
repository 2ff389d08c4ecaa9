# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    osb_quota_check_date = fields.Selection(related="company_id.osb_quota_check_date", readonly=False)
    osb_quota_warning_level = fields.Float(related="company_id.osb_quota_warning_level", readonly=False)
