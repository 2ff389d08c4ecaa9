# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models, tools
from odoo.tools import SQL


class OsbCreditAging(models.Model):
    """Receivables aging: one row per open receivable line, its residual put in
    the bucket of its days past due (not due, 0-30, 31-60, 61-90, over 90)."""

    _name = "osb.credit.aging"
    _description = "Receivables Aging"
    _auto = False
    _order = "days_overdue desc"
    _rec_name = "move_id"
    # Read before the query: what it reads is flushed first.
    _depends = {
        "account.move.line": [
            "move_id",
            "partner_id",
            "account_id",
            "company_id",
            "date_maturity",
            "date",
            "amount_residual",
            "reconciled",
            "parent_state",
        ],
        "account.move": ["invoice_user_id", "team_id"],
        "res.partner": ["commercial_partner_id", "user_id"],
    }

    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    residual = fields.Monetary(string="Open Amount", readonly=True)
    amount_not_due = fields.Monetary(string="Not Due", readonly=True)
    amount_0_30 = fields.Monetary(string="0-30", readonly=True)
    amount_31_60 = fields.Monetary(string="31-60", readonly=True)
    amount_61_90 = fields.Monetary(string="61-90", readonly=True)
    amount_over_90 = fields.Monetary(string="Over 90", readonly=True)

    @property
    def _table_query(self):
        # Built at each read: the buckets count from the user's today (their
        # timezone), not the database server's date.
        return self._query(fields.Date.context_today(self))

    def _query(self, today):
        return SQL(
            """
            SELECT aml.id AS id,
                   aml.move_id AS move_id,
                   p.commercial_partner_id AS partner_id,
                   COALESCE(am.invoice_user_id, cp.user_id) AS user_id,
                   am.team_id AS team_id,
                   aml.company_id AS company_id,
                   aml.company_currency_id AS currency_id,
                   d.due AS date_maturity,
                   GREATEST(%(today)s - d.due, 0) AS days_overdue,
                   aml.amount_residual AS residual,
                   CASE WHEN d.due >= %(today)s THEN aml.amount_residual ELSE 0 END AS amount_not_due,
                   CASE WHEN d.due < %(today)s AND %(today)s - d.due <= 30
                        THEN aml.amount_residual ELSE 0 END AS amount_0_30,
                   CASE WHEN %(today)s - d.due BETWEEN 31 AND 60 THEN aml.amount_residual ELSE 0 END AS amount_31_60,
                   CASE WHEN %(today)s - d.due BETWEEN 61 AND 90 THEN aml.amount_residual ELSE 0 END AS amount_61_90,
                   CASE WHEN %(today)s - d.due > 90 THEN aml.amount_residual ELSE 0 END AS amount_over_90
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN res_partner p ON p.id = aml.partner_id
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
             CROSS JOIN LATERAL (SELECT COALESCE(aml.date_maturity, aml.date) AS due) d
             WHERE %(open_receivable)s
            """,
            today=today,
            open_receivable=self.env["osb.credit.exposure"]._open_receivable_sql("aml"),
        )

    def init(self):
        # Read through _table_query since 18.0.1.1.0: the view of earlier versions goes.
        tools.drop_view_if_exists(self.env.cr, self._table)
