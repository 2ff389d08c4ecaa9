# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def reconcile(self):
        res = super().reconcile()
        self._osb_schedule_exposure_refresh()
        self._osb_timeline_receivable_moves()._osb_timeline_on_payment()
        return res

    def remove_move_reconcile(self):
        self._osb_schedule_exposure_refresh()
        moves = self._osb_timeline_receivable_moves()
        moves |= self.matched_debit_ids.debit_move_id.move_id | self.matched_credit_ids.credit_move_id.move_id
        res = super().remove_move_reconcile()
        moves._osb_timeline_on_payment()
        return res

    def _osb_schedule_exposure_refresh(self):
        lines = self.filtered(lambda line: line.account_type == "asset_receivable" and line.partner_id)
        if lines:
            self.env["osb.credit.exposure"]._schedule_refresh(lines.partner_id, lines.company_id)

    def _osb_timeline_receivable_moves(self):
        """The customer invoices among the moves of these receivable lines."""
        return self.filtered(lambda line: line.account_type == "asset_receivable").move_id.filtered(
            lambda m: m.move_type == "out_invoice"
        )
