# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import pytz

from odoo import fields, models
from odoo.tools import SQL

# Months shown: the current one and the twelve before it.
MONTHS_BACK = 12


class SalesVisitCompliance(models.Model):
    """Visit compliance (拜访达标) per salesperson, team, customer class and month:
    the visits *required* by the classes of the salesperson's customers (each
    classified customer needs days-in-month / visit-interval visits a month: a
    customer of a 30-day class one visit in a 30-day month), the visits *planned*
    in the month (not cancelled) and those *done* in it.

    The required visits read each customer's current class and salesperson; the
    planned and done visits their own salesperson, team and class (the class that
    planned them, else the customer's current class). Months are calendar months
    in the reader's time zone, from twelve months ago to the current one (planned
    visits of later months are shown in their month). Read through
    ``_table_query``: "now" and the time zone are the reader's."""

    _name = "sales.visit.compliance"
    _description = "Visit Compliance"
    _auto = False
    _order = "month desc, user_id"
    _rec_name = "user_id"
    _depends = {
        "sales.visit": [
            "company_id",
            "user_id",
            "team_id",
            "class_id",
            "partner_id",
            "state",
            "planned_date",
            "done_date",
        ],
        "res.partner": ["sales_class_id", "user_id", "active"],
        "sales.customer.class": ["company_id", "visit_interval", "active"],
        "res.users": ["sale_team_id"],
    }

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    class_id = fields.Many2one("sales.customer.class", string="Customer Class", readonly=True)
    required = fields.Float(string="Required Visits", readonly=True, digits=(16, 1))
    planned = fields.Integer(string="Planned Visits", readonly=True)
    done = fields.Integer(string="Done Visits", readonly=True)
    shortfall = fields.Float(
        readonly=True,
        digits=(16, 1),
        help="Required visits not done (required minus done, never below zero), per row.",
    )

    @property
    def _table_query(self):
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        if tz not in pytz.all_timezones_set:
            tz = "UTC"
        return SQL(
            """
            WITH months AS (
                SELECT generate_series(
                    date_trunc('month', now() AT TIME ZONE %(tz)s) - make_interval(months => %(back)s),
                    date_trunc('month', now() AT TIME ZONE %(tz)s),
                    interval '1 month'
                )::date AS month
            ),
            rows AS (
                SELECT v.company_id, v.user_id, v.team_id,
                       COALESCE(v.class_id, (p.sales_class_id ->> v.company_id::text)::int) AS class_id,
                       date_trunc('month', v.planned_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS month,
                       0.0 AS required, 1 AS planned, 0 AS done
                  FROM sales_visit v
                  JOIN res_partner p ON p.id = v.partner_id
                 WHERE v.state != 'cancelled'
                   AND v.planned_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s >= (SELECT min(month) FROM months)
                UNION ALL
                SELECT v.company_id, v.user_id, v.team_id,
                       COALESCE(v.class_id, (p.sales_class_id ->> v.company_id::text)::int),
                       date_trunc('month', v.done_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
                       0.0, 0, 1
                  FROM sales_visit v
                  JOIN res_partner p ON p.id = v.partner_id
                 WHERE v.state = 'done'
                   AND v.done_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s >= (SELECT min(month) FROM months)
                UNION ALL
                SELECT c.company_id, p.user_id, u.sale_team_id, c.id, m.month,
                       (EXTRACT(DAY FROM m.month + interval '1 month' - interval '1 day') / c.visit_interval)::float,
                       0, 0
                  FROM res_partner p
                  JOIN LATERAL jsonb_each_text(p.sales_class_id) AS pc(company, class) ON pc.class IS NOT NULL
                  JOIN sales_customer_class c ON c.id = pc.class::int AND c.company_id = pc.company::int
                  JOIN res_users u ON u.id = p.user_id
                 CROSS JOIN months m
                 WHERE p.active AND p.sales_class_id IS NOT NULL AND c.active AND c.visit_interval > 0
            )
            SELECT row_number() OVER (ORDER BY month, company_id, user_id, team_id, class_id) AS id,
                   month, company_id, user_id, team_id, class_id,
                   sum(required) AS required, sum(planned) AS planned, sum(done) AS done,
                   greatest(sum(required) - sum(done), 0.0) AS shortfall
              FROM rows
             GROUP BY month, company_id, user_id, team_id, class_id
            """,
            tz=tz,
            back=MONTHS_BACK,
        )
