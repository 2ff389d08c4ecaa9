# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class SalesDistributionMember(models.TransientModel):
    """A member records are distributed to, with their load before and after
    (the preview)."""

    _name = "sales.distribution.member"
    _description = "Distribution Member"
    _order = "sequence, id"

    wizard_id = fields.Many2one("sales.distribution.wizard", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10, help="Ties go to the member listed first.")
    user_id = fields.Many2one("res.users", string="Member", required=True, domain="[('share', '=', False)]")
    cap = fields.Integer(help="At most this many records from this distribution; 0: the wizard's cap.")
    load_before = fields.Integer(readonly=True, help="Open records assigned before the distribution.")
    assigned_count = fields.Integer(string="To Assign", readonly=True)
    load_after = fields.Integer(readonly=True)
