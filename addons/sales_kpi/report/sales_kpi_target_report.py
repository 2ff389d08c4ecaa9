# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models, tools


class SalesKpiTargetReport(models.Model):
    """Targets versus actuals by owner and month: the month lines of the
    target plans joined with the monthly facts (for KPIs read straight from
    the facts: confirmed sales, invoiced revenue, units, order count)."""

    _name = "sales.kpi.target.report"
    _description = "Targets vs Actuals"
    _auto = False
    _order = "month, team_id, id"

    plan_id = fields.Many2one("sales.kpi.target.plan", readonly=True)
    kpi_id = fields.Many2one("sales.kpi", string="KPI", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection([("draft", "Draft"), ("published", "Published"), ("locked", "Locked")], readonly=True)
    owner_type = fields.Selection([("company", "Company"), ("team", "Team"), ("user", "Member")], readonly=True)
    team_id = fields.Many2one("crm.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Member", readonly=True)
    month = fields.Date(readonly=True)
    target = fields.Float(readonly=True, aggregator="sum")
    actual = fields.Float(readonly=True, aggregator="sum")
    gap = fields.Float(string="Actual - Target", readonly=True, aggregator="sum")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            """
            CREATE OR REPLACE VIEW sales_kpi_target_report AS (
                SELECT l.id, l.plan_id, pl.kpi_id, pl.company_id, pl.state, l.owner_type,
                       l.team_id, l.user_id, l.date_from AS month, l.target,
                       COALESCE(a.actual, 0) AS actual,
                       COALESCE(a.actual, 0) - l.target AS gap
                  FROM sales_kpi_target_line l
                  JOIN sales_kpi_target_plan pl ON pl.id = l.plan_id
                  JOIN sales_kpi k ON k.id = pl.kpi_id
                  LEFT JOIN crm_team lt ON lt.id = l.team_id
                  LEFT JOIN LATERAL (
                      SELECT SUM(CASE k.source
                                     WHEN 'sales' THEN f.amount_sale
                                     WHEN 'invoiced' THEN f.amount_invoiced
                                     WHEN 'units' THEN f.qty_sale
                                     WHEN 'orders' THEN f.order_count
                                 END) AS actual
                        FROM sales_kpi_fact f
                        LEFT JOIN crm_team ft ON ft.id = f.team_id
                       WHERE f.company_id = pl.company_id AND f.month = l.date_from
                         AND k.source IN ('sales', 'invoiced', 'units', 'orders')
                         AND (l.owner_type = 'company'
                              OR (l.owner_type = 'user' AND f.user_id = l.user_id)
                              OR (l.owner_type = 'team' AND ft.parent_path LIKE lt.parent_path || '%'))
                  ) a ON TRUE
                 WHERE l.period_type = 'month'
            )
            """
        )
