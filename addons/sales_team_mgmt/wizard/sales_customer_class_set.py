# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class SalesCustomerClassSet(models.TransientModel):
    """Set the class of customers by hand, with a reason: the monthly
    classification then leaves them as they are (until Back to Automatic)."""

    _name = "sales.customer.class.set"
    _description = "Set Customer Class"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    class_id = fields.Many2one(
        "sales.customer.class",
        required=True,
        domain="[('company_id', '=', company_id)]",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    reason = fields.Char(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and "partner_ids" in fields_list:
            values["partner_ids"] = [(6, 0, self.env.context.get("active_ids") or [])]
        return values

    def action_apply(self):
        self.ensure_one()
        self.partner_ids.with_company(self.company_id).action_sales_set_class(self.class_id.id, self.reason)
        return {"type": "ir.actions.act_window_close"}
