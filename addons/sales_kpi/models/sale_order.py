# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models

# Order fields whose change moves a confirmed order's sales out of a
# (company, month) of the facts.
FACT_KEY_FIELDS = ("date_order", "company_id")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def write(self, vals):
        left = self._sales_kpi_pairs_left(vals)
        res = super().write(vals)
        self.env["sales.kpi.fact"]._queue_stale_months(left)
        return res

    def _sales_kpi_pairs_left(self, vals):
        """(company id, first of month) of the confirmed orders of ``self``
        that ``vals`` moves to another month or company."""
        if not any(name in vals for name in FACT_KEY_FIELDS):
            return []
        pairs = set()
        for order in self.filtered(lambda o: o.state == "sale" and o.date_order):
            pairs.add((order.company_id.id, order.date_order.date().replace(day=1)))
        return sorted(pairs)
