# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    osb_pop_issue_ids = fields.One2many("osb.pop.issue", "picking_id", string="POP Issues")

    def _action_done(self):
        res = super()._action_done()
        issues = self.env["osb.pop.issue"].sudo().search([("picking_id", "in", self.ids), ("state", "=", "requested")])
        done = issues.filtered(lambda i: i.picking_id.state == "done")
        if done:
            done._pop_picking_done()
        return res

    def action_cancel(self):
        res = super().action_cancel()
        issues = self.env["osb.pop.issue"].sudo().search([("picking_id", "in", self.ids), ("state", "=", "requested")])
        issues.filtered(lambda i: i.picking_id.state == "cancel").write({"state": "cancelled"})
        return res
