# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

from ..models.osb_role_rule import OSB_ROLE_SELECTION


class OsbRoleReassignLine(models.TransientModel):
    _name = "osb.role.reassign.line"
    _description = "Re-resolve OSB Roles: Change"
    _order = "order_id, role"

    wizard_id = fields.Many2one("osb.role.reassign", required=True, ondelete="cascade")
    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    role = fields.Selection(OSB_ROLE_SELECTION, required=True, readonly=True)
    current_user_id = fields.Many2one("res.users", readonly=True)
    new_user_id = fields.Many2one("res.users", required=True, readonly=True)
