# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class OsbCreditPolicy(models.Model):
    """The approval threshold of customer returns (``osb.return``)."""

    _inherit = "osb.credit.policy"

    return_kam_threshold = fields.Monetary(
        string="Return: KAM approves up to",
        currency_field="currency_id",
        default=10000.0,
        tracking=True,
        help="A customer return up to this amount (without taxes, company currency) is approved by the order's "
        "KAM; above it, by the SSG leader.",
    )

    @api.constrains("return_kam_threshold")
    def _check_return_kam_threshold(self):
        for policy in self:
            if policy.return_kam_threshold < 0:
                raise ValidationError(
                    self.env._(
                        "%(field)s cannot be negative.",
                        field=self._fields["return_kam_threshold"].get_description(self.env)["string"],
                    )
                )
