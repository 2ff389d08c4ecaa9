# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.sales_team_mgmt.tools import format_error_list

from ..models.osb_role_rule import OSB_ROLES


class OsbRoleReassign(models.TransientModel):
    _name = "osb.role.reassign"
    _description = "Re-resolve OSB Roles"

    order_ids = fields.Many2many("sale.order", string="Orders", readonly=True)
    skipped_count = fields.Integer(
        string="Orders Skipped", readonly=True, help="Selected orders that are cancelled or locked: left as they are."
    )
    line_ids = fields.One2many("osb.role.reassign.line", "wizard_id", string="Changes", readonly=True)

    @api.model
    def _open_for(self, orders):
        """A wizard previewing the new roles of ``orders`` (the open ones), opened as
        a dialog. Created here, on the server, so that its preview is what Apply
        writes."""
        self.env["sale.order"]._osb_check_role_change()
        open_orders = orders.filtered(lambda o: o.state != "cancel" and not o.locked)
        wizard = self.create(
            {
                "order_ids": [Command.set(open_orders.ids)],
                "skipped_count": len(orders - open_orders),
                "line_ids": [Command.create(vals) for vals in self._prepare_line_vals(open_orders)],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Re-resolve OSB Roles"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.model
    def _prepare_line_vals(self, orders):
        """The preview: one line per (open order, role) whose user the rules now give
        differently; a role no rule covers any more is an error naming it."""
        assignments, missing, companies = orders._osb_resolve_roles()
        errors = [orders._osb_missing_role_message(order, role) for order, role in missing]
        if errors:
            raise UserError(format_error_list(errors))
        others = orders.filtered(lambda o: o.company_id not in companies)
        if others:
            raise UserError(
                self.env._(
                    "%(orders)s: their company has no OSB role rule; add the rules first "
                    "(OSB > Configuration > Role Rules).",
                    orders=", ".join(others.mapped("name")),
                )
            )
        lines = []
        for order in orders:
            for role, user_id in assignments[order.id].items():
                current = order[OSB_ROLES[role][0]]
                if current.id != user_id:
                    lines.append(
                        {"order_id": order.id, "role": role, "current_user_id": current.id, "new_user_id": user_id}
                    )
        return lines

    def action_apply(self):
        """Give the orders the users of the preview (tracked on each order): one
        write per role and new user."""
        self.ensure_one()
        self.env["sale.order"]._osb_check_role_change()
        by_values = defaultdict(lambda: self.env["sale.order"])
        for line in self.line_ids:
            by_values[OSB_ROLES[line.role][0], line.new_user_id.id] |= line.order_id
        for (field_name, user_id), orders in by_values.items():
            orders.write({field_name: user_id})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s role changes applied to %(orders)s orders.",
                    count=len(self.line_ids),
                    orders=len(self.line_ids.order_id),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
