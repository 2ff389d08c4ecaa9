# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    work_report_daily_hour = fields.Float(
        string="Daily Log Deadline", default=16.0, help="Hour of the day the daily log is due, the same day."
    )
    work_report_weekly_hour = fields.Float(
        string="Weekly Report Deadline",
        default=12.0,
        help="Hour, on the Monday after the week, the weekly report is due.",
    )
    work_report_monthly_day = fields.Integer(
        string="Monthly Report Day",
        default=30,
        help="Day of the month the monthly report is due (its last day in shorter months).",
    )
    work_report_monthly_hour = fields.Float(
        string="Monthly Report Deadline", default=24.0, help="Hour of that day it is due (24:00: the end of the day)."
    )
    work_report_reminder_hours = fields.Integer(
        string="Report Reminder (hours)",
        default=4,
        help="Hours before a work report's deadline its author, without a submitted report, gets a reminder"
        " (0: no reminders).",
    )
    work_report_review_days = fields.Integer(
        string="Review Escalation (working days)",
        default=2,
        help="A work report waiting longer than this for its review goes to the next leader up (0: never).",
    )

    @api.constrains(
        "work_report_daily_hour",
        "work_report_weekly_hour",
        "work_report_monthly_hour",
        "work_report_monthly_day",
        "work_report_review_days",
    )
    def _check_work_report_deadlines(self):
        for company in self:
            for name in ("work_report_daily_hour", "work_report_weekly_hour", "work_report_monthly_hour"):
                if not 0 <= company[name] <= 24:
                    raise ValidationError(
                        self.env._(
                            "%(field)s: %(hour)s is not an hour of the day (0 to 24).",
                            field=self._fields[name].get_description(self.env)["string"],
                            hour=company[name],
                        )
                    )
            if company.work_report_review_days < 0:
                raise ValidationError(
                    self.env._(
                        "Review Escalation (working days): %(days)s is negative.",
                        days=company.work_report_review_days,
                    )
                )
            if not 1 <= company.work_report_monthly_day <= 31:
                raise ValidationError(
                    self.env._(
                        "Monthly Report Day: %(day)s is not a day of the month.", day=company.work_report_monthly_day
                    )
                )
