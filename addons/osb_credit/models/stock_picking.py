# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.sales_team_mgmt.tools import format_error_list


class StockPicking(models.Model):
    _inherit = "stock.picking"

    osb_pop_issue_ids = fields.One2many("osb.pop.issue", "picking_id", string="POP Issues")

    @api.model_create_multi
    def create(self, vals_list):
        pickings = super().create(vals_list)
        pickings._osb_timeline_stamp_pickings("sp_delivery_created", when="create_date")
        return pickings

    def _action_done(self):
        self._osb_check_delivery_credit()
        res = super()._action_done()
        self._osb_timeline_on_done()
        self._osb_pop_on_done()
        return res

    def action_cancel(self):
        res = super().action_cancel()
        self._osb_timeline_on_cancel()
        self._osb_pop_on_cancel()
        return res

    def _send_confirmation_email(self):
        res = super()._send_confirmation_email()
        notified = self.filtered(lambda p: p.company_id.stock_move_email_validation and p.state == "done")
        notified._osb_timeline_stamp_pickings("sp_notice_sent")
        return res

    def _osb_check_delivery_credit(self):
        """Customer deliveries: the overdue and manual-block checks run again."""
        deliveries = self.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.sale_id and p.location_dest_id.usage == "customer"
        )
        if not deliveries:
            return
        rules = deliveries.sale_id._osb_delivery_rules()
        errors = []
        for picking in deliveries:
            for message in [m for _code, m in rules.get(picking.sale_id, [])]:
                errors.append(
                    self.env._(
                        "%(picking)s (%(order)s): %(message)s",
                        picking=picking.name,
                        order=picking.sale_id.name,
                        message=message,
                    )
                )
        if errors:
            raise UserError(format_error_list(errors, intro=self.env._("Credit control stops these deliveries:")))

    # ------------------------------------------------------------------
    # OSB timeline
    # ------------------------------------------------------------------

    def _osb_deliveries(self):
        """The customer deliveries of sales orders among these pickings."""
        return self.filtered(
            lambda p: (
                p.picking_type_code == "outgoing"
                and p.sale_id
                and p.location_dest_id.usage == "customer"
                and p.state != "cancel"
            )
        )

    def _osb_timeline_stamp_pickings(self, codes, when=None):
        """Stamp ``codes`` for the orders of these customer deliveries, each proved by
        its first delivery (``when``: a picking field giving the time, else now)."""
        deliveries = self._osb_deliveries()
        if not deliveries:
            return set()
        documents, times = {}, {}
        for picking in deliveries.sorted("id"):
            order_id = picking.sale_id.id
            if order_id not in documents:
                documents[order_id] = picking
                times[order_id] = picking[when] if when else None
        orders = deliveries.sale_id
        return orders._osb_timeline_stamp(codes, when=times if when else None, documents=documents)

    def _osb_timeline_on_done(self):
        """Shipped: the first customer delivery of the order done (at its done time). A
        return from the customer done that leaves nothing delivered un-stamps the
        shipment and the steps after it in SP, and the order closed."""
        done = self.filtered(lambda p: p.state == "done")
        done._osb_timeline_stamp_pickings("sp_shipped", when="date_done")
        returns = done.filtered(
            lambda p: p.picking_type_code == "incoming" and p.sale_id and p.location_id.usage == "customer"
        )
        if returns:
            orders = returns.sale_id.filtered(
                lambda o: not any(line.qty_delivered > 0 for line in o.order_line if line.product_id.type == "consu")
            )
            self.env["osb.order.step"].sudo()._unstamp(
                ["sp_shipped", "sp_notice_sent", "sp_receipt_confirmed", "bc_order_closed"], orders
            )
        done._osb_deliveries().sale_id._osb_timeline_close()

    def _osb_timeline_on_cancel(self):
        """A cancelled delivery proves nothing: the steps it stamped (created, reserved)
        are open again."""
        cancelled = self.filtered(lambda p: p.state == "cancel" and p.sale_id)
        if cancelled:
            self.env["osb.order.step"].sudo()._unstamp(
                ["sp_delivery_created", "sp_stock_reserved"], cancelled.sale_id, documents=cancelled
            )

    # ------------------------------------------------------------------
    # POP issues: the issue follows its picking
    # ------------------------------------------------------------------

    def _osb_pop_on_done(self):
        """Validated: the requested POP issues of these pickings are spent at cost."""
        issues = self.env["osb.pop.issue"].sudo().search([("picking_id", "in", self.ids), ("state", "=", "requested")])
        done = issues.filtered(lambda i: i.picking_id.state == "done")
        if done:
            done._pop_picking_done()

    def _osb_pop_on_cancel(self):
        """Cancelled: their requested POP issues are cancelled (the commitment released)."""
        issues = self.env["osb.pop.issue"].sudo().search([("picking_id", "in", self.ids), ("state", "=", "requested")])
        issues.filtered(lambda i: i.picking_id.state == "cancel").write({"state": "cancelled"})
