# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.guard import check_guarded_fields

COMPLAINT_CATEGORIES = [
    ("service_attitude", "Service Attitude"),
    ("improper_language", "Improper Language"),
    ("quality", "Product Quality"),
    ("delivery", "Delivery"),
]
COMPLAINT_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("resolved", "Resolved"),
    ("rejected", "Rejected"),
]
# Written by the actions only (state changes run their checks and notify).
GUARDED_FIELDS = ("state", "closed_date", "closed_by_id")


class SalesComplaint(models.Model):
    """A customer complaint about a salesperson, an order or a delivery, on
    record: taken in by anyone in sales, handled by the salesperson's leaders
    (who are notified), closed as resolved (a resolution is required) or
    rejected. Team-scoped: the salesperson concerned sees theirs, leaders
    their subtree's. Feeds the complaint KPIs (sales_kpi) and, later, the
    penalty rules of the incentives."""

    _name = "sales.complaint"
    _description = "Customer Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.team.scoped.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True
    )
    order_id = fields.Many2one(
        "sale.order",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
        help="The order the complaint is about, if any.",
    )
    user_id = fields.Many2one(string="Salesperson Concerned", tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    category = fields.Selection(COMPLAINT_CATEGORIES, required=True, tracking=True)
    severity = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")], required=True, default="medium", tracking=True
    )
    description = fields.Text(required=True)
    resolution = fields.Text(help="What was done: required to close the complaint as resolved.")
    state = fields.Selection(
        COMPLAINT_STATES, required=True, default="new", readonly=True, tracking=True, index=True, copy=False
    )
    closed_date = fields.Date(readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    leader_id = fields.Many2one(
        "res.users",
        string="Leader Notified",
        compute="_compute_leader_id",
        store=True,
        help="The salesperson's nearest leader up the team tree (never the salesperson).",
    )

    @api.depends("team_id", "team_id.parent_path", "team_id.user_id", "user_id")
    def _compute_leader_id(self):
        for complaint in self:
            complaint.leader_id = complaint.team_id._sales_get_nearest_leader(exclude=complaint.user_id)

    @api.constrains("order_id", "partner_id")
    def _check_order_partner(self):
        for complaint in self:
            order = complaint.order_id
            if order and order.partner_id.commercial_partner_id != complaint.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Order: %(order)s is an order of %(other)s, not of the customer %(customer)s.",
                        order=order.name,
                        other=order.partner_id.commercial_partner_id.display_name,
                        customer=complaint.partner_id.display_name,
                    )
                )

    @api.constrains("state", "resolution")
    def _check_resolution(self):
        for complaint in self:
            if complaint.state == "resolved" and not (complaint.resolution or "").strip():
                raise ValidationError(
                    self.env._(
                        "Resolution: say what was done before closing the complaint %(name)s as resolved.",
                        name=complaint.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check_guarded_fields(self.env, vals_list, GUARDED_FIELDS, self._guarded_message)
        self._sales_check_input(vals_list)  # before the values are read below
        for vals in vals_list:
            if vals.get("order_id") and not vals.get("partner_id"):
                vals["partner_id"] = self.env["sale.order"].browse(vals["order_id"]).partner_id.id
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("sales.complaint") or "/"
        complaints = super().create(vals_list)
        complaints._notify_leaders()
        return complaints

    def write(self, vals):
        check_guarded_fields(self.env, vals, GUARDED_FIELDS, self._guarded_message)
        if not self.env.su and any(complaint.user_id == self.env.user for complaint in self):
            raise UserError(
                self.env._(
                    "A complaint about you is handled by your leader: write in its chatter to add what you know."
                )
            )
        closed_edit = not self.env.su and set(vals) - {"resolution"}
        if closed_edit and any(complaint.state in ("resolved", "rejected") for complaint in self):
            closed = self.filtered(lambda complaint: complaint.state in ("resolved", "rejected"))
            raise UserError(
                self.env._(
                    "The complaint %(names)s is closed: reopen it to change it.",
                    names=", ".join(closed.mapped("name")),
                )
            )
        res = super().write(vals)
        if "user_id" in vals or "team_id" in vals:
            self._notify_leaders()
        return res

    def _guarded_message(self):
        return self.env._("The status of a complaint changes through its buttons (Start, Resolve, Reject, Reopen).")

    def _notify_leaders(self):
        """An activity for the salesperson's leader (one per complaint), who also
        follows the complaint."""
        todo = self.filtered("leader_id")
        for complaint in todo:
            complaint.message_subscribe(partner_ids=complaint.leader_id.partner_id.ids)
            complaint.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=complaint.leader_id.id,
                summary=complaint.with_context(lang=complaint.leader_id.lang).env._(
                    "Complaint about %(user)s", user=complaint.user_id.name or "-"
                ),
                note=complaint.description,
            )

    def _set_state(self, state, allowed_from):
        wrong = self.filtered(lambda complaint: complaint.state not in allowed_from)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "The complaint %(name)s is %(state)s: it cannot become %(new)s.",
                    name=wrong[0].name,
                    state=labels[wrong[0].state],
                    new=labels[state],
                )
            )
        closing = state in ("resolved", "rejected")
        self.sudo().write(
            {
                "state": state,
                "closed_date": fields.Date.context_today(self) if closing else False,
                "closed_by_id": self.env.user.id if closing else False,
            }
        )
        if closing:
            self.activity_feedback(["mail.mail_activity_data_todo"])

    def _check_can_close(self):
        """Leaders (Team hierarchy) and sales administrators close complaints;
        a salesperson never closes one about themselves."""
        if self.env.su:
            return
        user = self.env.user
        if not (
            user.has_group("sales_team_mgmt.group_sales_team_mgmt_hierarchy")
            or user.has_group("sales_team.group_sale_salesman_all_leads")
        ):
            raise UserError(self.env._("Only team leaders and sales administrators close complaints."))
        own = self.filtered(lambda complaint: complaint.user_id == user)
        if own:
            raise UserError(self.env._("The complaint %(name)s is about you: a leader closes it.", name=own[0].name))
        # the record rules decide which complaints the user may write
        self.check_access("write")

    def action_start(self):
        own = self.filtered(lambda complaint: complaint.user_id == self.env.user)
        if own:
            raise UserError(self.env._("The complaint %(name)s is about you: a leader handles it.", name=own[0].name))
        self.check_access("write")
        self._set_state("in_progress", ("new",))
        return True

    def action_resolve(self):
        self._check_can_close()
        self._set_state("resolved", ("new", "in_progress"))
        return True

    def action_reject(self):
        self._check_can_close()
        self._set_state("rejected", ("new", "in_progress"))
        return True

    def action_reopen(self):
        self._check_can_close()
        self._set_state("in_progress", ("resolved", "rejected"))
        return True
