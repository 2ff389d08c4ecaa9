# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    osb_pop = fields.Boolean(
        string="POP Material",
        index=True,
        help="Point-of-purchase material (POP 物料): posters, displays, samples given to customers and teams "
        "through POP issues, against a POP budget.",
    )
