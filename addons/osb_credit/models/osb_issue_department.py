# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class OsbIssueDepartment(models.Model):
    """A department of the OSB system, where an issue of the OSB issue log
    arises: the OSB flow runs through the sales department (with its SSG), the
    finance department and the warehousing and transport department (销售部,
    财务部, 储运部). A small list of its own rather than ``hr.department``: the
    addon does not depend on ``hr`` and an issue only needs the name.
    Without a company, a department is shared by every company."""

    _name = "osb.issue.department"
    _description = "OSB Department"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: shared by every company.")
