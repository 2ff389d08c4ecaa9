# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountMove(models.Model):
    """The credit note of a customer return (``osb.return``): posted, it makes
    the return refunded."""

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    osb_return_id = fields.Many2one(
        "osb.return", string="Customer Return", readonly=True, copy=False, index="btree_not_null"
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        returns = posted.osb_return_id
        if returns:
            returns.sudo()._osb_on_credit_notes_posted()
        return posted
