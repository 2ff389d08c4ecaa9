# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    osb_pop_issue_line_id = fields.Many2one("osb.pop.issue.line", string="POP Issue Line", index="btree_not_null")
