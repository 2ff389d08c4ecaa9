# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models

# Line fields that change the untaxed amount or the discount of the order.
AMOUNT_FIELDS = {"product_uom_qty", "price_unit", "discount", "product_id", "product_uom", "display_type"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        order_ids = {vals.get("order_id") for vals in vals_list if vals.get("order_id")}
        orders = self.env["sale.order"].browse(order_ids)
        before = orders._sales_snapshot_figures()
        lines = super().create(vals_list)
        orders._sales_check_raise_after_confirmation(before)
        return lines

    def write(self, vals):
        if not AMOUNT_FIELDS.intersection(vals):
            return super().write(vals)
        orders = self.order_id
        before = orders._sales_snapshot_figures()
        res = super().write(vals)
        orders._sales_check_raise_after_confirmation(before)
        return res
