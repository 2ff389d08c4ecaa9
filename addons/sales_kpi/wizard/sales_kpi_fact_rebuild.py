# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from dateutil.relativedelta import relativedelta

from odoo import fields, models


class SalesKpiFactRebuild(models.TransientModel):
    """Rebuild the monthly facts of a date range (all salespeople)."""

    _name = "sales.kpi.fact.rebuild"
    _description = "Rebuild Sales Facts"

    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1) - relativedelta(years=1),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    company_ids = fields.Many2many(
        "res.company", string="Companies", default=lambda self: self.env.companies, help="Empty: all companies."
    )
    rows_written = fields.Integer(readonly=True)

    def action_rebuild(self):
        self.ensure_one()
        self.rows_written = self.env["sales.kpi.fact"].rebuild(
            self.date_from, self.date_to, self.company_ids.ids or None
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Sales facts rebuilt"),
                "message": self.env._("%(rows)s fact rows written.", rows=self.rows_written),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
