# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    osb_quota_check_date = fields.Selection(
        [("order", "Order Date"), ("commitment", "Commitment Date")],
        string="Quota Check Date",
        default="order",
        required=True,
        help="The date of an order that picks the period of the quotas it uses: its order date (the day it "
        "is confirmed), or its commitment (delivery) date when set.",
    )
    osb_quota_warning_level = fields.Float(
        string="Quota Warning Level (%)",
        default=90.0,
        help="When the use of an allocation crosses this share of it, the SSG leader gets one activity. "
        "0 turns the warning off.",
    )

    @api.constrains("osb_quota_warning_level")
    def _check_osb_quota_warning_level(self):
        for company in self:
            if not 0 <= company.osb_quota_warning_level <= 100:
                raise ValidationError(self.env._("Quota Warning Level (%): give a share between 0 and 100."))
