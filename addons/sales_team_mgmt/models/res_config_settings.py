# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    work_report_daily_hour = fields.Float(related="company_id.work_report_daily_hour", readonly=False)
    work_report_weekly_hour = fields.Float(related="company_id.work_report_weekly_hour", readonly=False)
    work_report_monthly_day = fields.Integer(related="company_id.work_report_monthly_day", readonly=False)
    work_report_monthly_hour = fields.Float(related="company_id.work_report_monthly_hour", readonly=False)
    work_report_review_days = fields.Integer(related="company_id.work_report_review_days", readonly=False)
    work_report_reminder_hours = fields.Integer(related="company_id.work_report_reminder_hours", readonly=False)
