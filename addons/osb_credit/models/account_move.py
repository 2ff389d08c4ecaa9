# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves._osb_timeline_stamp_invoices("bc_invoice_created", when="create_date")
        return moves

    def write(self, vals):
        res = super().write(vals)
        if vals.get("is_move_sent"):
            self.filtered(lambda m: m.state == "posted")._osb_timeline_stamp_invoices("bc_invoice_sent")
        return res

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._osb_schedule_exposure_refresh()
        posted._osb_timeline_on_posted()
        return posted

    def button_draft(self):
        res = super().button_draft()
        self._osb_schedule_exposure_refresh()
        self._osb_timeline_unstamp_invoices(["bc_invoice_posted", "bc_invoice_sent"])
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._osb_schedule_exposure_refresh()
        self._osb_timeline_unstamp_invoices(["bc_invoice_created", "bc_invoice_posted", "bc_invoice_sent"])
        return res

    def _osb_schedule_exposure_refresh(self):
        moves = self.filtered(lambda m: m.is_sale_document(include_receipts=True) or m.origin_payment_id)
        if moves:
            self.env["osb.credit.exposure"]._schedule_refresh(moves.commercial_partner_id, moves.company_id)

    # ------------------------------------------------------------------
    # OSB timeline
    # ------------------------------------------------------------------

    def _osb_invoice_orders(self):
        """``{invoice: orders}`` of these customer invoices (credit notes excluded), not cancelled."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and m.state != "cancel")
        result = {}
        for invoice in invoices:
            orders = invoice.invoice_line_ids.sale_line_ids.order_id
            if orders:
                result[invoice] = orders
        return result

    def _osb_timeline_stamp_invoices(self, codes, when=None):
        """Stamp ``codes`` for the orders of these customer invoices, each proved by its
        first invoice (``when``: an invoice field giving the time, else now)."""
        orders_of = self._osb_invoice_orders()
        if not orders_of:
            return set()
        documents, times = {}, {}
        for invoice in sorted(orders_of, key=lambda m: m.id):
            for order in orders_of[invoice]:
                if order.id not in documents:
                    documents[order.id] = invoice
                    times[order.id] = invoice[when] if when else None
        orders = self.env["sale.order"].browse(list(documents))
        return orders._osb_timeline_stamp(codes, when=times if when else None, documents=documents)

    def _osb_timeline_unstamp_invoices(self, codes):
        """An invoice reset to draft or cancelled un-stamps the steps it proved (re-posting
        stamps them again)."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        orders = invoices.invoice_line_ids.sale_line_ids.order_id
        if orders:
            self.env["osb.order.step"].sudo()._unstamp(codes, orders, documents=invoices)

    def _osb_timeline_on_posted(self):
        self._osb_timeline_stamp_invoices("bc_invoice_posted")
        orders = self.env["sale.order"].browse(
            {order.id for orders in self._osb_invoice_orders().values() for order in orders}
        )
        orders._osb_timeline_close()

    def _osb_timeline_on_payment(self):
        """After a reconciliation of these invoices: "payment received" when a payment
        reached an invoice, "reconciled" when every posted invoice of the order is paid,
        then "order closed" (the order delivered and invoiced in full). Un-reconciling
        un-stamps the last two of the orders no longer paid."""
        orders_of = self.filtered(lambda m: m.state == "posted")._osb_invoice_orders()
        if not orders_of:
            return
        received = [invoice for invoice in orders_of if invoice.payment_state in ("partial", "in_payment", "paid")]
        self.browse([m.id for m in received])._osb_timeline_stamp_invoices("bc_payment_received")
        orders = self.env["sale.order"].browse({o.id for orders in orders_of.values() for o in orders})
        paid, unpaid = self.env["sale.order"], self.env["sale.order"]
        for order in orders:
            invoices = order.invoice_ids.filtered(lambda m: m.state == "posted" and m.move_type == "out_invoice")
            if invoices and all(m.payment_state in ("paid", "in_payment") for m in invoices):
                paid |= order
            else:
                unpaid |= order
        paid._osb_timeline_stamp("bc_reconciled", documents={o.id: o for o in paid})
        if unpaid:
            self.env["osb.order.step"].sudo()._unstamp(["bc_reconciled", "bc_order_closed"], unpaid)
        paid._osb_timeline_close()
