# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._osb_schedule_exposure_refresh()
        return posted

    def button_draft(self):
        res = super().button_draft()
        self._osb_schedule_exposure_refresh()
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._osb_schedule_exposure_refresh()
        return res

    def _osb_schedule_exposure_refresh(self):
        moves = self.filtered(lambda m: m.is_sale_document(include_receipts=True) or m.origin_payment_id)
        if moves:
            self.env["osb.credit.exposure"]._schedule_refresh(moves.commercial_partner_id, moves.company_id)
