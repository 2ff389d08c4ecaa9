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
        # One chain, as osb.replenishment: a filter on the customer reaches the orders.
        return SQL(
            """
            WITH days AS (
                SELECT so.company_id, p.commercial_partner_id AS partner_id, sol.product_id,
                       %(day)s AS order_day, MIN(sol.id) AS first_id, MIN(pt.uom_id) AS uom_id,
                       SUM(sol.product_uom_qty / NULLIF(lu.factor, 0) * pu.factor) AS quantity,
                       COUNT(DISTINCT so.id) AS order_count,
                       (ARRAY_AGG(so.user_id ORDER BY so.date_order DESC, so.id DESC))[1] AS user_id,
                       (ARRAY_AGG(so.team_id ORDER BY so.date_order DESC, so.id DESC))[1] AS team_id
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                  JOIN sale_order_line sol ON sol.order_id = so.id
                  JOIN product_product pp ON pp.id = sol.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom lu ON lu.id = sol.product_uom
                  JOIN uom_uom pu ON pu.id = pt.uom_id
                 WHERE so.state = 'sale' AND sol.display_type IS NULL AND NOT COALESCE(sol.is_downpayment, FALSE)
                 GROUP BY so.company_id, p.commercial_partner_id, sol.product_id, %(day)s
            ),
            gaps AS (
                SELECT days.*,
                       order_day - LAG(order_day) OVER (
                           PARTITION BY company_id, partner_id, product_id ORDER BY order_day
                       ) AS gap
                  FROM days
            ),
            products AS (
                SELECT MIN(first_id) AS id, company_id, partner_id, product_id, MIN(uom_id) AS uom_id,
                       SUM(quantity) AS quantity, SUM(order_count)::integer AS order_count,
                       MIN(order_day) AS first_order_date, MAX(order_day) AS last_order_date,
                       AVG(gap) AS average_interval,
                       (ARRAY_AGG(user_id ORDER BY order_day DESC))[1] AS last_user_id,
                       (ARRAY_AGG(team_id ORDER BY order_day DESC))[1] AS last_team_id
                  FROM gaps
                 GROUP BY company_id, partner_id, product_id
            )
            SELECT t.id, t.company_id, t.partner_id, t.product_id, t.uom_id,
                   COALESCE(cp.user_id, t.last_user_id) AS user_id, t.last_team_id AS team_id,
                   t.quantity, t.order_count, t.first_order_date, t.last_order_date, t.average_interval,
                   t.last_order_date + ROUND(t.average_interval)::integer AS expected_date
              FROM products t
              JOIN res_partner cp ON cp.id = t.partner_id
            """,
            day=self.env["osb.replenishment"]._order_day_sql(tz),
        )
