# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models
from odoo.tools import SQL


class OsbReplenishmentLine(models.Model):
    """Replenishment record per product: one row per customer (commercial
    partner), company and product: the quantity ordered on its confirmed orders
    (in the product's unit of measure), the orders, the first and last order day
    and the average interval between the days the customer ordered that product
    (``LAG`` over those days). Visible as the customer rows of
    ``osb.replenishment`` (same salesperson and team)."""

    _name = "osb.replenishment.line"
    _description = "Replenishment Record per Product"
    _auto = False
    _order = "partner_id, product_id"
    _rec_name = "product_id"
    _depends = {
        "sale.order": ["state", "date_order", "partner_id", "company_id", "user_id", "team_id"],
        "sale.order.line": ["order_id", "product_id", "product_uom", "product_uom_qty", "display_type"],
        "res.partner": ["commercial_partner_id", "user_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["uom_id"],
        "uom.uom": ["factor"],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    quantity = fields.Float(string="Quantity Ordered", readonly=True, digits="Product Unit of Measure")
    order_count = fields.Integer(string="Orders", readonly=True)
    first_order_date = fields.Date(readonly=True, aggregator="min")
    last_order_date = fields.Date(readonly=True, aggregator="max")
    average_interval = fields.Float(
        string="Average Reorder Interval (days)", readonly=True, digits=(16, 1), aggregator="avg"
    )
    expected_date = fields.Date(string="Expected Next Order", readonly=True, aggregator="min")

    @property
    def _table_query(self):
        return self._query(self.env["osb.replenishment"]._query_tz())

    def _query(self, tz):
        return SQL(
            """
            WITH orders AS (%(orders)s),
            lines AS (
                SELECT sol.id, o.company_id, o.partner_id, o.user_id, o.team_id, o.date_order, o.id AS order_id,
                       o.order_day, sol.product_id, pt.uom_id,
                       sol.product_uom_qty / NULLIF(lu.factor, 0) * pu.factor AS quantity
                  FROM orders o
                  JOIN sale_order_line sol ON sol.order_id = o.id
                  JOIN product_product pp ON pp.id = sol.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom lu ON lu.id = sol.product_uom
                  JOIN uom_uom pu ON pu.id = pt.uom_id
                 WHERE sol.display_type IS NULL AND NOT COALESCE(sol.is_downpayment, FALSE)
            ),
            days AS (
                SELECT d.company_id, d.partner_id, d.product_id,
                       d.order_day - LAG(d.order_day) OVER (
                           PARTITION BY d.company_id, d.partner_id, d.product_id ORDER BY d.order_day
                       ) AS gap
                  FROM (SELECT DISTINCT company_id, partner_id, product_id, order_day FROM lines) d
            ),
            intervals AS (
                SELECT company_id, partner_id, product_id, AVG(gap) AS average_interval
                  FROM days
                 GROUP BY company_id, partner_id, product_id
            ),
            totals AS (
                SELECT company_id, partner_id, product_id, MIN(id) AS id, MIN(uom_id) AS uom_id,
                       SUM(quantity) AS quantity, COUNT(DISTINCT order_id) AS order_count,
                       MIN(order_day) AS first_order_date, MAX(order_day) AS last_order_date,
                       (ARRAY_AGG(user_id ORDER BY date_order DESC, id DESC))[1] AS last_user_id,
                       (ARRAY_AGG(team_id ORDER BY date_order DESC, id DESC))[1] AS last_team_id
                  FROM lines
                 GROUP BY company_id, partner_id, product_id
            )
            SELECT t.id, t.company_id, t.partner_id, t.product_id, t.uom_id,
                   COALESCE(cp.user_id, t.last_user_id) AS user_id,
                   t.last_team_id AS team_id,
                   t.quantity, t.order_count, t.first_order_date, t.last_order_date, i.average_interval,
                   t.last_order_date + ROUND(i.average_interval)::integer AS expected_date
              FROM totals t
              JOIN intervals i
                ON i.company_id = t.company_id AND i.partner_id = t.partner_id AND i.product_id = t.product_id
              JOIN res_partner cp ON cp.id = t.partner_id
            """,
            orders=self.env["osb.replenishment"]._confirmed_orders_sql(tz),
        )
