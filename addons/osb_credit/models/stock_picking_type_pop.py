# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class StockPickingType(models.Model):
    _inherit = "stock.picking.type"

    osb_pop_issue = fields.Boolean(
        string="POP Issues",
        help="The operation type of the POP issues (deliveries of POP materials) of its warehouse.",
    )

    @api.model
    def _osb_pop_type(self, company):
        """The POP issue operation type of ``company``'s first warehouse, created
        (like the one of the main warehouse in data) when missing."""
        company = company.sudo()
        picking_type = self.sudo().search(
            [("osb_pop_issue", "=", True), ("company_id", "=", company.id), ("active", "=", True)], limit=1
        )
        if picking_type:
            return picking_type
        warehouse = self.env["stock.warehouse"].sudo().search([("company_id", "=", company.id)], limit=1)
        out_type = warehouse.out_type_id
        return self.sudo().create(
            {
                "name": self.env._("POP Issues"),
                "code": "outgoing",
                "sequence_code": "POP",
                "osb_pop_issue": True,
                "warehouse_id": warehouse.id,
                "company_id": company.id,
                "default_location_src_id": out_type.default_location_src_id.id or warehouse.lot_stock_id.id,
                "default_location_dest_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
