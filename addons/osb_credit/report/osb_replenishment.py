# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import pytz

from odoo import api, fields, models
from odoo.tools import SQL

# Latest intervals listed on a customer's row.
RECENT_INTERVALS = 6
# Tolerance (days) of a company without a credit policy.
DEFAULT_TOLERANCE = 7


class OsbReplenishment(models.Model):
    """Replenishment record (补货记录), one row per customer (commercial partner)
    and company: its confirmed orders, the intervals between its order days, the
    average reorder interval, the last order, the expected next order (last
    order + average interval, rounded to the day) and whether it is overdue for
    reorder (expected next order more than the policy's tolerance before today).

    Orders of one day count as one replenishment: the intervals are between
    distinct order days (``LAG`` over the days of the customer in the company),
    in the reader's time zone. Read through ``_table_query``, built at each read:
    "today" and the time zone are the user's."""

    _name = "osb.replenishment"
    _description = "Replenishment Record"
    _auto = False
    _order = "expected_date, partner_id"
    _rec_name = "partner_id"
    # What the query reads is flushed before it runs.
    _depends = {
        "sale.order": ["state", "date_order", "partner_id", "company_id", "user_id", "team_id"],
        "res.partner": ["commercial_partner_id", "user_id"],
        "osb.credit.policy": ["company_id", "replenishment_tolerance_days"],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", readonly=True, help="The customer's salesperson, else of its last order."
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", readonly=True, help="The sales team of the customer's last order."
    )
    order_count = fields.Integer(string="Orders", readonly=True, help="Confirmed orders.")
    order_day_count = fields.Integer(
        string="Order Days", readonly=True, help="Days with a confirmed order: orders of one day are one reorder."
    )
    first_order_date = fields.Date(readonly=True)
    last_order_date = fields.Date(readonly=True)
    last_interval = fields.Integer(
        string="Last Interval (days)", readonly=True, aggregator="avg", help="Days between the last two order days."
    )
    average_interval = fields.Float(
        string="Average Reorder Interval (days)",
        readonly=True,
        digits=(16, 1),
        aggregator="avg",
        help="Mean of the intervals between consecutive order days.",
    )
    recent_intervals = fields.Char(
        string="Latest Intervals (days)", readonly=True, help="The latest intervals between order days, newest first."
    )
    expected_date = fields.Date(
        string="Expected Next Order", readonly=True, help="Last order + average reorder interval."
    )
    tolerance_days = fields.Integer(string="Tolerance (days)", readonly=True, aggregator=None)
    days_overdue = fields.Integer(
        readonly=True, aggregator="max", help="Days since the expected next order (0 when not yet expected)."
    )
    is_overdue = fields.Boolean(
        string="Overdue for Reorder",
        readonly=True,
        help="No order although the expected next order is more than the tolerance before today.",
    )

    @property
    def _table_query(self):
        return self._query(fields.Date.context_today(self), self._query_tz())

    @api.model
    def _query_tz(self):
        tz = self.env.context.get("tz") or self.env.user.tz
        return tz if tz in pytz.all_timezones_set else "UTC"

    @api.model
    def _order_day_sql(self, tz):
        """The order day (in ``tz``) of the confirmed order ``so``."""
        return SQL("(timezone(%(tz)s, timezone('UTC', so.date_order)))::date", tz=tz)

    def _query(self, today, tz):
        # One chain, each step read once (PostgreSQL inlines it): the days of each
        # customer, their intervals (LAG), the customer's row. A filter on the
        # customer or the company (the partition of the window) reaches the scan
        # of the orders: one customer's record reads that customer's orders only.
        return SQL(
            """
            WITH days AS (
                SELECT so.company_id, p.commercial_partner_id AS partner_id, %(day)s AS order_day,
                       COUNT(*) AS order_count, MIN(so.id) AS first_id,
                       (ARRAY_AGG(so.user_id ORDER BY so.date_order DESC, so.id DESC))[1] AS user_id,
                       (ARRAY_AGG(so.team_id ORDER BY so.date_order DESC, so.id DESC))[1] AS team_id
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale'
                 GROUP BY so.company_id, p.commercial_partner_id, %(day)s
            ),
            gaps AS (
                SELECT days.*,
                       order_day - LAG(order_day) OVER (
                           PARTITION BY company_id, partner_id ORDER BY order_day
                       ) AS gap
                  FROM days
            ),
            customers AS (
                SELECT MIN(first_id) AS id, company_id, partner_id,
                       SUM(order_count)::integer AS order_count, COUNT(*)::integer AS order_day_count,
                       MIN(order_day) AS first_order_date, MAX(order_day) AS last_order_date,
                       AVG(gap) AS average_interval,
                       (ARRAY_AGG(gap ORDER BY order_day DESC))[1] AS last_interval,
                       ARRAY_TO_STRING(
                           (ARRAY_AGG(gap ORDER BY order_day DESC) FILTER (WHERE gap IS NOT NULL))[1:%(recent)s], ', '
                       ) AS recent_intervals,
                       (ARRAY_AGG(user_id ORDER BY order_day DESC))[1] AS last_user_id,
                       (ARRAY_AGG(team_id ORDER BY order_day DESC))[1] AS last_team_id
                  FROM gaps
                 GROUP BY company_id, partner_id
            )
            SELECT c.id, c.company_id, c.partner_id,
                   COALESCE(cp.user_id, c.last_user_id) AS user_id,
                   c.last_team_id AS team_id,
                   c.order_count, c.order_day_count, c.first_order_date, c.last_order_date,
                   c.last_interval, c.average_interval, c.recent_intervals, x.expected_date, x.tolerance_days,
                   GREATEST(%(today)s - x.expected_date, 0) AS days_overdue,
                   COALESCE(x.expected_date + x.tolerance_days < %(today)s, FALSE) AS is_overdue
              FROM customers c
              JOIN res_partner cp ON cp.id = c.partner_id
              LEFT JOIN osb_credit_policy pol ON pol.company_id = c.company_id
             CROSS JOIN LATERAL (
                 SELECT c.last_order_date + ROUND(c.average_interval)::integer AS expected_date,
                        COALESCE(pol.replenishment_tolerance_days, %(default_tolerance)s) AS tolerance_days
             ) x
            """,
            day=self._order_day_sql(tz),
            recent=RECENT_INTERVALS,
            default_tolerance=DEFAULT_TOLERANCE,
            today=today,
        )

    def action_open_lines(self):
        """The customer's replenishment record per product."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("osb_credit.action_osb_replenishment_line")
        action["domain"] = [("partner_id", "=", self.partner_id.id), ("company_id", "=", self.company_id.id)]
        action["display_name"] = self.env._("Replenishment of %(customer)s", customer=self.partner_id.display_name)
        return action
