# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.sales_kpi import ADDITIVE_UNITS


class SalesKpiTargetReport(models.Model):
    """Targets versus actuals by owner and month: the month lines of the
    target plans joined with the salesperson roll-up of the monthly facts (for KPIs read straight from
    the facts: confirmed sales, invoiced revenue, units, order count), or with the
    actuals the plan stores for the other KPIs (``_refresh_actuals``).

    The measures ``target`` and ``actual`` of a row are the owner's own part
    (what is not split to its sub-teams and members), so that the pivot's
    totals never add a team to its own sub-teams (see ``init``)."""

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
    is_leaf = fields.Boolean(
        string="Not Split Below",
        readonly=True,
        help="The owner's target is not split between sub-teams or members: the row holds all of it.",
    )
    target = fields.Float(
        readonly=True,
        aggregator="sum",
        help="The owner's own part of the month target: its target minus the targets of the sub-teams and "
        "members it is split into (what is not split below). Any sum of rows counts each unit once.",
    )
    actual = fields.Float(
        readonly=True,
        aggregator="sum",
        help="The owner's own part of the actual: its actual minus the actuals of the sub-teams and members "
        "it is split into (e.g. a team's sales by people who are not its members). Any sum of rows is the "
        "facts' sum.",
    )
    gap = fields.Float(string="Actual - Target", readonly=True, aggregator="sum")
    owner_target = fields.Float(
        readonly=True,
        aggregator=False,
        help="The owner's whole month target, sub-teams and members included (not summed).",
    )
    owner_actual = fields.Float(
        readonly=True,
        aggregator=False,
        help="The owner's whole month actual, sub-teams included (not summed).",
    )

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
        # Each month line is one row. A line whose owner is split below (a team into
        # its sub-teams and members, the company into its teams) shows only its own
        # part: its target and actual minus those of the month lines of its children
        # (the team's sales by people who are not its members, a remainder not split).
        # Any sum of rows then counts each sale and each unit of target once: the
        # Total is the plan's root target and the facts' sum, whatever the grouping.
        # A ratio KPI (percent, score) does not add up: its report shows the lines of
        # the owners not split below only. The common expressions are inlined (NOT
        # MATERIALIZED) and the children are grouped by plan, so that a filter on the
        # plan (the pivot's) reaches every part instead of computing every plan.
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW sales_kpi_target_report AS (
                WITH lines AS NOT MATERIALIZED (
                    SELECT l.id, l.plan_id, l.owner_type, l.team_id, l.user_id, l.date_from, l.target,
                           CASE WHEN q.period_type = 'year' THEN q.id
                                WHEN y.period_type = 'year' THEN y.id END AS year_id,
                           CASE WHEN q.period_type = 'year' THEN q.parent_id
                                WHEN y.period_type = 'year' THEN y.parent_id END AS parent_year_id
                      FROM sales_kpi_target_line l
                      LEFT JOIN sales_kpi_target_line q ON q.id = l.parent_id
                      LEFT JOIN sales_kpi_target_line y ON y.id = q.parent_id
                     WHERE l.period_type = 'month'
                ), owners AS NOT MATERIALIZED (
                    SELECT l.*, pl.kpi_id, pl.company_id, pl.state, k.unit = ANY(%(additive)s) AS additive,
                           COALESCE(u.actual, t.actual, c.actual, 0) AS actual
                      FROM lines l
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
                     WHERE k.source = ANY(%(fact_sources)s)
                    UNION ALL
                    SELECT l.*, pl.kpi_id, pl.company_id, pl.state, k.unit = ANY(%(additive)s),
                           COALESCE(a.actual, 0)
                      FROM lines l
                      JOIN sales_kpi_target_plan pl ON pl.id = l.plan_id
                      JOIN sales_kpi k ON k.id = pl.kpi_id
                      LEFT JOIN sales_kpi_target_actual a ON a.line_id = l.id
                     WHERE k.source != ALL(%(fact_sources)s)
                ), children AS (
                    SELECT plan_id, parent_year_id, date_from, SUM(target) AS target, SUM(actual) AS actual
                      FROM owners
                     WHERE parent_year_id IS NOT NULL
                  GROUP BY plan_id, parent_year_id, date_from
                )
                SELECT o.id, o.plan_id, o.kpi_id, o.company_id, o.state, o.owner_type,
                       o.team_id, o.user_id, o.date_from AS month,
                       (ch.parent_year_id IS NULL) AS is_leaf,
                       o.target - COALESCE(ch.target, 0) AS target,
                       o.actual - COALESCE(ch.actual, 0) AS actual,
                       (o.actual - COALESCE(ch.actual, 0)) - (o.target - COALESCE(ch.target, 0)) AS gap,
                       o.target AS owner_target,
                       o.actual AS owner_actual
                  FROM owners o
                  LEFT JOIN children ch
                         ON ch.plan_id = o.plan_id AND ch.parent_year_id = o.year_id AND ch.date_from = o.date_from
                 WHERE o.additive OR ch.parent_year_id IS NULL
            )
            """,
                measure=measure,
                fact_sources=fact_sources,
                additive=list(ADDITIVE_UNITS),
                subtree=self.env["crm.team"]._sales_subtree_sql("lt", "ft"),
            )
        )
