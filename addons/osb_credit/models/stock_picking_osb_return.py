# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockPicking(models.Model):
    """The return picking of a customer return (``osb.return``): done, it makes
    the return received and its credit note."""

    _inherit = "stock.picking"  # pylint: disable=consider-merging-classes-inherited

    osb_return_id = fields.Many2one(
        "osb.return", string="Customer Return", readonly=True, copy=False, index="btree_not_null"
    )

    def _action_done(self):
        res = super()._action_done()
        returns = self.filtered(lambda p: p.state == "done").osb_return_id
        if returns:
            returns.sudo()._osb_on_pickings_done()
        return res
