# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.sales_pay_line import LINE_TYPES
from ..models.sales_pay_run import STATES


class SalesPayTeamReport(models.Model):
    """Pay totals by team, month and type of line: what a leader sees of the pay
    of the teams below him (the pay lines themselves are each member's own, and
    HR's and payroll's). One row per company, month, pay run, team and line
    type, summed over the team's members; a team's own row never includes its
    sub-teams, so any sum of rows counts each line once. A row's id is its
    first line's id: stable while the run's lines stay."""

    _name = "sales.pay.team.report"
    _description = "Pay Totals by Team"
    _auto = False
    _order = "month desc, team_id, line_type"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    month = fields.Date(readonly=True)
    run_id = fields.Many2one("sales.pay.run", string="Pay Run", readonly=True)
    run_state = fields.Selection(STATES, string="Pay Run State", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    line_type = fields.Selection(LINE_TYPES, string="Type", readonly=True)
    amount = fields.Monetary(readonly=True, aggregator="sum", currency_field="currency_id")
    line_count = fields.Integer(string="Lines", readonly=True, aggregator="sum")
    member_count = fields.Integer(
        string="Members",
        readonly=True,
        aggregator="max",
        help="Members of the team with a line of this type in the month (not summed: the largest row).",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW sales_pay_team_report AS (
                    SELECT MIN(l.id) AS id,
                           l.company_id, l.month, l.run_id, r.state AS run_state, l.team_id, l.line_type,
                           SUM(l.amount) AS amount, COUNT(*) AS line_count,
                           COUNT(DISTINCT l.member_id) AS member_count
                      FROM sales_pay_line l
                      JOIN sales_pay_run r ON r.id = l.run_id
                  GROUP BY l.company_id, l.month, l.run_id, r.state, l.team_id, l.line_type
                )
                """
            )
        )
