# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models
from odoo.tools import SQL


class OsbQuotaReport(models.Model):
    """Allocation vs used: one row per allocation, its allocation in effect, use
    and availability computed at each read by the allocations' one grouped query
    (``osb.quota._quota_used_query``): never a stored counter. Lists, pivots and
    graphs group it by holder, team, product and period."""

    _name = "osb.quota.report"
    _description = "Quota: Allocation vs Used"
    _auto = False
    _order = "date_from desc, quota_id desc"
    _rec_name = "quota_id"
    _depends = {
        "osb.quota": [
            "holder_type",
            "holder_team_id",
            "partner_id",
            "product_id",
            "categ_id",
            "date_from",
            "date_to",
            "quantity",
            "company_id",
            "user_id",
            "team_id",
            "active",
        ],
        "osb.quota.transfer": ["from_quota_id", "to_quota_id", "quantity"],
        "sale.order.line": ["product_id", "product_uom_qty", "product_uom", "state", "company_id", "display_type"],
        "sale.order": ["partner_id", "team_id", "date_order", "commitment_date"],
    }

    quota_id = fields.Many2one("osb.quota", string="Allocation", readonly=True)
    holder_type = fields.Selection([("team", "Team"), ("customer", "Customer")], string="Holder", readonly=True)
    holder_team_id = fields.Many2one("crm.team", string="Team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    team_id = fields.Many2one("crm.team", string="Visible to Team", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    allocated = fields.Float(digits="Product Unit of Measure", readonly=True)
    used = fields.Float(digits="Product Unit of Measure", readonly=True)
    available = fields.Float(digits="Product Unit of Measure", readonly=True)
    used_percent = fields.Float(string="Used (%)", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT q.id AS id, q.id AS quota_id, q.holder_type, q.holder_team_id, q.partner_id, q.user_id,
                   q.team_id, q.product_id, q.categ_id, q.date_from, q.date_to, q.company_id,
                   f.allocated, f.used, f.allocated - f.used AS available,
                   CASE WHEN f.allocated > 0 THEN 100.0 * f.used / f.allocated
                        WHEN f.used > 0 THEN 100.0 ELSE 0.0 END AS used_percent
              FROM osb_quota q
              JOIN (
                  SELECT q.id,
                         q.quantity + COALESCE(tin.quantity, 0) - COALESCE(tout.quantity, 0) AS allocated,
                         COALESCE(u.used, 0) AS used
                    FROM osb_quota q
                    LEFT JOIN (SELECT to_quota_id AS quota_id, SUM(quantity) AS quantity
                                 FROM osb_quota_transfer GROUP BY to_quota_id) tin ON tin.quota_id = q.id
                    LEFT JOIN (SELECT from_quota_id AS quota_id, SUM(quantity) AS quantity
                                 FROM osb_quota_transfer GROUP BY from_quota_id) tout ON tout.quota_id = q.id
                    LEFT JOIN (%s) u ON u.quota_id = q.id
              ) f ON f.id = q.id
             WHERE q.active
            """,
            self.env["osb.quota"]._quota_used_query(),
        )
