# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models
from odoo.exceptions import UserError

from odoo.addons.sales_team_mgmt.tools import format_error_list


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        self._osb_check_delivery_credit()
        return super()._action_done()

    def _osb_check_delivery_credit(self):
        """Customer deliveries: the overdue and manual-block checks run again."""
        deliveries = self.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.sale_id and p.location_dest_id.usage == "customer"
        )
        if not deliveries:
            return
        rules = deliveries.sale_id._osb_delivery_rules()
        errors = []
        for picking in deliveries:
            for message in [m for _code, m in rules.get(picking.sale_id, [])]:
                errors.append(
                    self.env._(
                        "%(picking)s (%(order)s): %(message)s",
                        picking=picking.name,
                        order=picking.sale_id.name,
                        message=message,
                    )
                )
        if errors:
            raise UserError(format_error_list(errors, intro=self.env._("Credit control stops these deliveries:")))
