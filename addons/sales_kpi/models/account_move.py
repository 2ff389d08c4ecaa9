# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "sales.kpi.fact.document.mixin"]

    # A customer invoice is in the month of its invoice date (invoiced revenue) and
    # of its accounting date (the receivable lines), in its company.
    _sales_kpi_key_fields = ("invoice_date", "date", "company_id")

    def _sales_kpi_pairs(self):
        return sorted(
            {
                (move.company_id.id, day.replace(day=1))
                for move in self
                if move.move_type in ("out_invoice", "out_refund")
                for day in (move.invoice_date, move.date)
                if day
            }
        )
