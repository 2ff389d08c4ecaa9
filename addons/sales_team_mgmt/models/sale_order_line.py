# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # The re-checks of confirmed orders (sale.order._get_confirmation_rechecks)
    # see every change of their lines.

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse({vals["order_id"] for vals in vals_list if vals.get("order_id")})
        rechecks = orders._confirmation_recheck_prepare("line_create", {key for vals in vals_list for key in vals})
        lines = super().create(vals_list)
        orders._confirmation_recheck_run(rechecks)
        return lines

    def write(self, vals):
        orders = self.order_id
        rechecks = orders._confirmation_recheck_prepare("line_write", vals)
        res = super().write(vals)
        orders._confirmation_recheck_run(rechecks)
        return res
