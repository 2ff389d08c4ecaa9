# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models, tools
from odoo.tools import SQL


class SalesKpiTargetReport(models.Model):
    """Targets versus actuals by owner and month: the month lines of the
    target plans joined with the salesperson roll-up of the monthly facts (for KPIs read straight from
    the facts: confirmed sales, invoiced revenue, units, order count), or with the
    actuals the plan stores for the other KPIs (``_refresh_actuals``)."""

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
        # The actuals come from the salesperson roll-up of the facts (one row
        # per company, month, team and salesperson), one lateral per kind of
        # owner so that each reads its own index: a member's months by
        # salesperson, a team's by the teams of its subtree, the company's by
        # company and month. Reading the fact table itself (a row per
        # customer and category) took minutes for a plan of 2,000 members.
        # The sources read straight from the facts, and their measure: from the
        # KPI source registry.
        measures = {
            code: source["fact_measure"]
            for code, source in self.env["sales.kpi"]._get_kpi_sources().items()
            if source["fact_measure"]
        }
        measure = SQL(
            "SUM(CASE k.source %s END)",
            SQL(" ").join(
                SQL("WHEN %s THEN %s", code, SQL.identifier("f", column)) for code, column in measures.items()
            ),
        )
        fact_sources = list(measures)
        # The actuals of the KPIs not read from the facts, stored per month line by
        # sales.kpi.target.plan._refresh_actuals (a line's deletion drops its actual).
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS sales_kpi_target_actual (
                line_id integer PRIMARY KEY REFERENCES sales_kpi_target_line (id) ON DELETE CASCADE,
                plan_id integer NOT NULL,
                actual numeric NOT NULL
            )
            """
        )
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS sales_kpi_target_actual_plan_idx ON sales_kpi_target_actual (plan_id)"
        )
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW sales_kpi_target_report AS (
                SELECT l.id, l.plan_id, pl.kpi_id, pl.company_id, pl.state, l.owner_type,
                       l.team_id, l.user_id, l.date_from AS month, l.target,
                       COALESCE(u.actual, t.actual, c.actual, 0) AS actual,
                       COALESCE(u.actual, t.actual, c.actual, 0) - l.target AS gap
                  FROM sales_kpi_target_line l
                  JOIN sales_kpi_target_plan pl ON pl.id = l.plan_id
                  JOIN sales_kpi k ON k.id = pl.kpi_id
                  LEFT JOIN LATERAL (
                      SELECT %(measure)s AS actual
                        FROM sales_kpi_fact_user f
                       WHERE l.owner_type = 'user'
                         AND f.user_id = l.user_id AND f.month = l.date_from AND f.company_id = pl.company_id
                  ) u ON TRUE
                  LEFT JOIN LATERAL (
                      SELECT %(measure)s AS actual
                        FROM crm_team lt
                        JOIN crm_team ft ON %(subtree)s
                        JOIN sales_kpi_fact_user f
                          ON f.company_id = pl.company_id AND f.month = l.date_from AND f.team_id = ft.id
                       WHERE l.owner_type = 'team' AND lt.id = l.team_id
                  ) t ON TRUE
                  LEFT JOIN LATERAL (
                      SELECT %(measure)s AS actual
                        FROM sales_kpi_fact_user f
                       WHERE l.owner_type = 'company'
                         AND f.company_id = pl.company_id AND f.month = l.date_from
                  ) c ON TRUE
                 WHERE l.period_type = 'month'
                   AND k.source = ANY(%(fact_sources)s)
                UNION ALL
                SELECT l.id, l.plan_id, pl.kpi_id, pl.company_id, pl.state, l.owner_type,
                       l.team_id, l.user_id, l.date_from AS month, l.target,
                       COALESCE(a.actual, 0), COALESCE(a.actual, 0) - l.target
                  FROM sales_kpi_target_line l
                  JOIN sales_kpi_target_plan pl ON pl.id = l.plan_id
                  JOIN sales_kpi k ON k.id = pl.kpi_id
                  LEFT JOIN sales_kpi_target_actual a ON a.line_id = l.id
                 WHERE l.period_type = 'month'
                   AND k.source != ALL(%(fact_sources)s)
            )
            """,
                measure=measure,
                fact_sources=fact_sources,
                subtree=self.env["crm.team"]._sales_subtree_sql("lt", "ft"),
            )
        )
