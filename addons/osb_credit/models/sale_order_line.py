# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models

# Line fields whose change can raise the amount of a confirmed order.
AMOUNT_FIELDS = ("product_uom_qty", "price_unit", "discount", "tax_id", "product_id", "product_uom")


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id.filtered(lambda o: o.state == "sale")._osb_credit_recheck()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if set(vals).intersection(AMOUNT_FIELDS):
            # An edit after confirmation re-checks when the order grows.
            self.order_id.filtered(lambda o: o.state == "sale")._osb_credit_recheck()
        return res
