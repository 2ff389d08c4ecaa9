# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    osb_pop_issue_line_id = fields.Many2one("osb.pop.issue.line", string="POP Issue Line", index="btree_not_null")

    def _action_assign(self, force_qty=False):
        res = super()._action_assign(force_qty=force_qty)
        # Stock reserved: the order's customer delivery fully available (the picking
        # is "Ready"), whether reserved at confirmation, by the scheduler or by hand.
        pickings = self.picking_id.filtered(lambda p: p.state == "assigned")
        pickings._osb_timeline_stamp_pickings("sp_stock_reserved")
        return res

    def _assign_picking_post_process(self, new=False):
        res = super()._assign_picking_post_process(new=new)
        # Delivery created: a picking's order is known once its moves are in it (its
        # procurement group is the moves'), not at the picking's creation.
        if new:
            self.picking_id._osb_timeline_stamp_pickings("sp_delivery_created", when="create_date")
        return res
