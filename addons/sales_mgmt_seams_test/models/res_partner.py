# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    seams_embargo = fields.Boolean(string="Embargo (test)")
