# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class SalesApprovalReject(models.TransientModel):
    """Asks the approver for the reason of a rejection."""

    _name = "sales.approval.reject"
    _description = "Reject Order Approval"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    reason = fields.Text(required=True, help="Told to the salesperson in the chatter of the order.")

    def action_reject(self):
        self.ensure_one()
        self.order_ids.action_approval_reject(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
