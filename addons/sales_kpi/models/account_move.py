# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models

# Invoice fields whose change moves a customer invoice out of a (company, month)
# of the facts: its invoice date (invoiced revenue), its accounting date (the
# receivable lines) and its company.
FACT_KEY_FIELDS = ("invoice_date", "date", "company_id")


class AccountMove(models.Model):
    _inherit = "account.move"

    def write(self, vals):
        left = self._sales_kpi_pairs_left(vals)
        res = super().write(vals)
        self.env["sales.kpi.fact"]._queue_stale_months(left)
        return res

    def _sales_kpi_pairs_left(self, vals):
        """(company id, first of month) of the customer invoices of ``self`` that
        ``vals`` may move to another month or company (reset to draft, re-dated,
        posted again)."""
        if not any(name in vals for name in FACT_KEY_FIELDS):
            return []
        pairs = set()
        for move in self.filtered(lambda m: m.move_type in ("out_invoice", "out_refund")):
            for day in (move.invoice_date, move.date):
                if day:
                    pairs.add((move.company_id.id, day.replace(day=1)))
        return sorted(pairs)
