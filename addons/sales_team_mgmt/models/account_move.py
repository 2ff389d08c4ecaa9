# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    # Core leaves it unindexed; the Team hierarchy record rules filter on it.
    team_id = fields.Many2one(index="btree_not_null")
