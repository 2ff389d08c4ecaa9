# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class SaleOrder(models.Model):
    """Customer returns of the order; the credit note of a return invoices only
    the returned lines (context ``osb_return_sale_line_ids``)."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    osb_return_ids = fields.One2many("osb.return", "order_id", string="Customer Returns")

    def _get_invoiceable_lines(self, final=False):
        lines = super()._get_invoiceable_lines(final=final)
        only = self.env.context.get("osb_return_sale_line_ids")
        if only is not None:
            lines = lines.filtered(lambda line: line.id in only)
        return lines
