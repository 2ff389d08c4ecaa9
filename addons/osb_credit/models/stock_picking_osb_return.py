# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockPicking(models.Model):
    """The return picking of a customer return (``osb.return``): done, it makes
    the credit note of what it received (and the return received once none of
    its pickings is open); its backorder belongs to the return too; all of them
    cancelled, the return is cancelled."""

    _inherit = "stock.picking"  # pylint: disable=consider-merging-classes-inherited

    osb_return_id = fields.Many2one(
        "osb.return", string="Customer Return", readonly=True, copy=False, index="btree_not_null"
    )

    def _action_done(self):
        res = super()._action_done()
        done = self.filtered(lambda p: p.state == "done" and p.osb_return_id)
        if done:
            done.osb_return_id.sudo()._osb_on_pickings_done(done.sudo())
        return res

    def _create_backorder(self, backorder_moves=None):
        backorders = super()._create_backorder(backorder_moves=backorder_moves)
        for backorder in backorders.filtered(lambda p: p.backorder_id.osb_return_id and not p.osb_return_id):
            backorder.osb_return_id = backorder.backorder_id.osb_return_id
        return backorders

    def action_cancel(self):
        res = super().action_cancel()
        returns = self.filtered(lambda p: p.state == "cancel").osb_return_id
        if returns:
            returns.sudo()._osb_on_pickings_cancelled()
        return res
