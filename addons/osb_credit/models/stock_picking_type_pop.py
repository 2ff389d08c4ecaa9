# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.tools import SQL


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

    @api.model_create_multi
    def create(self, vals_list):
        types = super().create(vals_list)
        types.filtered("osb_pop_issue")._osb_pop_number_after_used_names()
        return types

    def _osb_pop_number_after_used_names(self):
        """A POP operation type created again (the addon installed again, the old
        type kept archived with its pickings) numbers its pickings after those of
        the old one, whose names its sequence would otherwise give again."""
        for picking_type in self.filtered("sequence_id"):
            sequence = picking_type.sequence_id.sudo()
            prefix = sequence.prefix or ""
            if "%" in prefix:
                continue
            self.env.cr.execute(
                SQL(
                    "SELECT max(substring(name FROM %s)::int) FROM stock_picking"
                    " WHERE company_id = %s AND starts_with(name, %s) AND substring(name FROM %s) IS NOT NULL",
                    f"^{len(prefix) * '.'}([0-9]+)$",
                    picking_type.company_id.id,
                    prefix,
                    f"^{len(prefix) * '.'}([0-9]+)$",
                )
            )
            used = self.env.cr.fetchone()[0]
            if used and sequence.number_next_actual <= used:
                sequence.number_next = used + 1
