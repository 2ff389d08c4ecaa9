# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class SalesSeamsNote(models.Model):
    """A team-scoped document made with the mixin and the rule helper alone."""

    _name = "sales.seams.note"
    _description = "Seams Test Note"
    _inherit = ["sales.team.scoped.mixin"]
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
