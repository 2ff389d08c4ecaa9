# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def reconcile(self):
        res = super().reconcile()
        self._osb_schedule_exposure_refresh()
        return res

    def remove_move_reconcile(self):
        self._osb_schedule_exposure_refresh()
        return super().remove_move_reconcile()

    def _osb_schedule_exposure_refresh(self):
        lines = self.filtered(lambda line: line.account_type == "asset_receivable" and line.partner_id)
        if lines:
            self.env["osb.credit.exposure"]._schedule_refresh(lines.partner_id, lines.company_id)
