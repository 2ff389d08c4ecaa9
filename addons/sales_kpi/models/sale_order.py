# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sales.kpi.fact.document.mixin"]

    # A confirmed order's sales are in the month of its date, in its company.
    _sales_kpi_key_fields = ("date_order", "company_id")

    def _sales_kpi_pairs(self):
        return sorted(
            {
                (order.company_id.id, order.date_order.date().replace(day=1))
                for order in self
                if order.state == "sale" and order.date_order
            }
        )
