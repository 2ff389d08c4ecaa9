# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class SalesKpiFactDocumentMixin(models.AbstractModel):
    """A document the monthly facts are made of (orders, invoices): when a write
    moves it out of a (company, month) of the facts, that month is queued for the
    next incremental refresh, which finds the month it enters by its write date.

    The document says which of its fields decide its month and company
    (``_sales_kpi_key_fields``) and which (company id, first of month) pairs it
    holds now (``_sales_kpi_pairs``)."""

    _name = "sales.kpi.fact.document.mixin"
    _description = "Document of the Sales Facts"

    _sales_kpi_key_fields = ()

    def write(self, vals):
        left = self._sales_kpi_pairs() if not set(self._sales_kpi_key_fields).isdisjoint(vals) else []
        res = super().write(vals)
        self.env["sales.kpi.fact"]._queue_stale_months(left)
        return res

    def _sales_kpi_pairs(self):
        """Sorted (company id, first of month) pairs of the facts these documents are in."""
        return []
