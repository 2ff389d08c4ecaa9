# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

VISIT_TYPES = [("visit", "Visit"), ("call", "Phone Call"), ("meeting", "Meeting")]
# Customers planned per run of the daily cron (each batch committed).
PLAN_BATCH = 5000
# Context key: the daily planning creates the visits' activities without subscribing
# their salespeople (sales.visit.message_subscribe).
NO_ACTIVITY_SUBSCRIBE_KEY = "sales_visit_no_activity_subscribe"


class SalesVisit(models.Model):
    """A contact of a salesperson with a customer (visit, phone call,
    meeting): planned, then done (with its duration, outcome and success) or
    cancelled. Lightweight on purpose: no calendar event. The daily cron plans
    the next visit of every customer of a class with a visit interval."""

    _name = "sales.visit"
    _description = "Customer Visit"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.team.scoped.mixin"]
    _order = "planned_date desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True
    )
    visit_type = fields.Selection(VISIT_TYPES, string="Type", required=True, default="visit", tracking=True)
    planned_date = fields.Datetime(string="Planned", required=True, default=fields.Datetime.now, tracking=True)
    done_date = fields.Datetime(string="Done", tracking=True, copy=False, index=True)
    duration = fields.Integer(string="Duration (minutes)")
    outcome = fields.Text()
    success = fields.Boolean(help="The visit reached its goal (an order, an agreement, a problem solved).")
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True,
        default="planned",
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    automatic = fields.Boolean(readonly=True, help="Planned by the daily cron from the customer's class.")
    class_id = fields.Many2one(
        "sales.customer.class", string="Customer Class", readonly=True, help="The class that planned it."
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue", string="Overdue")

    @api.depends("state", "planned_date")
    @api.depends_context("uid")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for visit in self:
            visit.is_overdue = visit.state == "planned" and visit.planned_date and visit.planned_date < now

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Overdue: only = and != True or False are supported."))
        domain = [("state", "=", "planned"), ("planned_date", "<", fields.Datetime.now())]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.constrains("planned_date", "done_date", "duration")
    def _check_dates(self):
        for visit in self:
            if visit.duration < 0:
                raise ValidationError(
                    self.env._("Duration (minutes): %(minutes)s is negative.", minutes=visit.duration)
                )
            if visit.done_date and visit.planned_date and visit.done_date < visit.planned_date - timedelta(days=1):
                raise ValidationError(
                    self.env._(
                        "Done: the visit of %(customer)s cannot be done on %(done)s,"
                        " before it was planned (%(planned)s).",
                        customer=visit.partner_id.display_name,
                        done=fields.Datetime.to_string(visit.done_date),
                        planned=fields.Datetime.to_string(visit.planned_date),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any("state" in vals for vals in vals_list):
            raise UserError(self.env._("The status of a visit changes through its buttons (Done, Cancel)."))
        for vals in vals_list:
            if vals.get("done_date") and "state" not in vals:
                vals["state"] = "done"
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and not self.env.su:
            raise UserError(self.env._("The status of a visit changes through its buttons (Done, Cancel)."))
        return super().write(vals)

    def action_done(self):
        """Log the visits as done (now, unless a done time is set)."""
        wrong = self.filtered(lambda visit: visit.state != "planned")
        if wrong:
            raise UserError(self.env._("The visit of %(customer)s is not planned.", customer=wrong[0].partner_id.name))
        self.check_access("write")
        now = fields.Datetime.now()
        for visit in self:
            visit.sudo().write({"state": "done", "done_date": visit.done_date or now})
        self.activity_feedback(["mail.mail_activity_data_meeting", "mail.mail_activity_data_call"])
        return True

    def action_cancel(self):
        self.check_access("write")
        self.filtered(lambda visit: visit.state == "planned").sudo().write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_meeting", "mail.mail_activity_data_call"])
        return True

    # ------------------------------------------------------------------
    # Daily planning
    # ------------------------------------------------------------------
    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if self.env.context.get(NO_ACTIVITY_SUBSCRIBE_KEY):
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    @api.model
    def _plan_visits(self, company, today=None, limit=PLAN_BATCH):
        """Plan the next visit of each customer of ``company`` in a class with a
        visit interval and with a salesperson, that has no planned visit: on its
        last done visit plus the interval (today when that is past or the customer
        was never visited), for the customer's salesperson, with an activity.
        Returns ``(planned, remaining)``; running it again plans nothing twice."""
        today = today or fields.Date.context_today(self)
        Partner = self.env["res.partner"].sudo().with_company(company)
        classes = (
            self.env["sales.customer.class"]
            .sudo()
            .search([("company_id", "=", company.id), ("visit_interval", ">", 0)])
        )
        if not classes:
            return 0, 0
        partners = Partner.search_fetch(
            [("sales_class_id", "in", classes.ids), ("user_id", "!=", False)], ["sales_class_id", "user_id"], order="id"
        )
        Visit = self.sudo().with_company(company)
        base = [("company_id", "=", company.id), ("partner_id", "in", partners.ids)]
        planned = {partner.id for [partner] in Visit._read_group([*base, ("state", "=", "planned")], ["partner_id"])}
        todo = partners.filtered(lambda partner: partner.id not in planned)
        batch = todo[:limit]
        # The last done visit of the batch's customers only (done visits are the big table).
        last_done = dict(
            Visit._read_group(
                [("company_id", "=", company.id), ("partner_id", "in", batch.ids), ("state", "=", "done")],
                ["partner_id"],
                ["done_date:max"],
            )
        )
        vals_list = []
        for partner in batch:
            customer_class = partner.sales_class_id
            last = last_done.get(partner)
            day = max(today, (last.date() + timedelta(days=customer_class.visit_interval))) if last else today
            vals_list.append(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "user_id": partner.user_id.id,
                    "planned_date": datetime.combine(day, time(9, 0)),
                    "automatic": True,
                    "class_id": customer_class.id,
                }
            )
        visits = Visit.with_context(mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True).create(
            vals_list
        )
        activity_type = self.env.ref("mail.mail_activity_data_meeting")
        model_id = self.env["ir.model"]._get_id("sales.visit")
        # The salesperson owns the visit and gets its activity: no follower subscription
        # (Odoo makes one per salesperson and batch, some queries each: thousands a day).
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True, **{NO_ACTIVITY_SUBSCRIBE_KEY: True}
        ).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": visit.id,
                    "activity_type_id": activity_type.id,
                    "automated": True,  # done with the visit (activity_feedback)
                    "user_id": visit.user_id.id,
                    "date_deadline": visit.planned_date.date(),
                    # in the salesperson's language
                    "summary": local.env._(
                        "Visit %(customer)s (%(class)s)",
                        customer=visit.partner_id.name,
                        **{"class": local.class_id.name},
                    ),
                }
                for visit in visits
                for local in [visit.with_context(lang=visit.user_id.lang)]
            ]
        )
        return len(visits), len(todo) - len(batch)

    @api.model
    def _cron_plan_visits(self, limit=PLAN_BATCH, today=None):
        """Daily: plan the visits of every company's classified customers, in
        batches (see :meth:`_plan_visits`)."""
        done = remaining = 0
        classes = self.env["sales.customer.class"].sudo()
        for [company] in classes._read_group([("visit_interval", ">", 0)], ["company_id"]):
            planned, left = self._plan_visits(company, today=today, limit=max(limit - done, 0))
            done += planned
            remaining += left
        _logger.info("sales_team_mgmt: %d visits planned, %d customers left for the next batch", done, remaining)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done
