# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.sales_team_mgmt.tools import format_error_list

LOCK_NAMESPACE = "sales_mgmt_seams_test.embargo"


class SaleOrder(models.Model):
    """A confirmation check added by override alone: orders of an embargoed
    customer are held (``seams_embargo_hold``) until the embargo is lifted; and
    its re-check: a confirmed order cannot be moved to an embargoed customer."""

    _inherit = "sale.order"

    seams_embargo_hold = fields.Boolean(readonly=True, copy=False)

    @api.model
    def _get_confirmation_checks(self):
        return super()._get_confirmation_checks() + [(30, "embargo", "_confirmation_check_embargo")]

    @api.model
    def _get_confirmation_rechecks(self):
        return super()._get_confirmation_rechecks() + [(30, "embargo", "_confirmation_recheck_embargo")]

    def _confirmation_recheck_embargo(self, event, vals):
        if event != "write" or "partner_id" not in vals:
            return None
        confirmed = self.filtered(lambda o: o.state == "sale")

        def recheck():
            refused = confirmed._confirmation_check_embargo(strict=True)
            if refused:
                raise UserError(format_error_list(refused.values()))

        return recheck if confirmed else None

    def _confirmation_check_embargo(self, strict=False):
        self.env["sales.lock"]._lock(LOCK_NAMESPACE, self.partner_id.commercial_partner_id.ids)
        stopped = self.filtered(lambda o: o.partner_id.commercial_partner_id.seams_embargo)
        if not strict:
            stopped.sudo().write({"seams_embargo_hold": True})
            (self - stopped).filtered("seams_embargo_hold").sudo().write({"seams_embargo_hold": False})
        return {
            order: self.env._(
                "%(order)s: customer %(customer)s is under embargo.",
                order=order.name,
                customer=order.partner_id.commercial_partner_id.name,
            )
            for order in stopped
        }
