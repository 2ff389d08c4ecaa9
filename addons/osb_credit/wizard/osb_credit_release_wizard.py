# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class OsbCreditReleaseWizard(models.TransientModel):
    """Mass release of held orders by a credit manager: one release record per order."""

    _name = "osb.credit.release.wizard"
    _description = "Release Credit Holds"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    reason = fields.Text(required=True)
    valid_until = fields.Date(required=True, default=lambda self: self._default_valid_until())

    @api.model
    def _default_valid_until(self):
        policy = self.env["osb.credit.policy"]._get_policy(self.env.company)
        return fields.Date.context_today(self) + timedelta(days=policy.sudo().release_validity_days)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "sale.order" and "order_ids" in fields_list:
            res["order_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return res

    def action_release(self):
        self.ensure_one()
        orders = self.order_ids.filtered("credit_hold")
        if not orders:
            raise UserError(self.env._("None of the selected orders is on credit hold."))
        self.env["osb.credit.release"].create(
            [
                {
                    "order_id": order.id,
                    "reason": self.reason,
                    "valid_until": self.valid_until,
                    "released_amount": order._osb_amount_company(),
                }
                for order in orders
            ]
        )
        return {"type": "ir.actions.act_window_close"}
