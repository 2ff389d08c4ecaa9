# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesApprovalReject(models.TransientModel):
    """Asks the approver for the reason of a rejection, for any document of the
    approval engine (sales.approval.mixin)."""

    _name = "sales.approval.reject"
    _description = "Reject an Approval"

    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_ids = fields.Json(string="Documents", required=True, readonly=True)
    document_names = fields.Char(string="Documents To Reject", compute="_compute_document_names")
    reason = fields.Text(required=True, help="Told to the author in the chatter of each document.")

    @api.depends("res_model", "res_ids")
    def _compute_document_names(self):
        for wizard in self:
            valid = wizard.res_model in self.env and "approval_step" in self.env[wizard.res_model]
            records = self.env[wizard.res_model].browse(wizard.res_ids or []) if valid else []
            wizard.document_names = ", ".join(records.mapped("display_name")) if valid else False

    def _documents(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env or "approval_step" not in self.env[self.res_model]:
            raise UserError(self.env._("Only documents of an approval can be rejected here."))
        return self.env[self.res_model].browse(self.res_ids or [])

    def action_reject(self):
        self.ensure_one()
        self._documents().action_approval_reject(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
