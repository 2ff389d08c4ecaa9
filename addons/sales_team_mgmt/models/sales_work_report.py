# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import calendar
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

from ..tools import check_guarded_fields
from .sales_work_report_rubric import REPORT_TYPES

# What the author writes: locked once the report is submitted.
CONTENT_FIELDS = frozenset(
    (
        "report_type",
        "date",
        "user_id",
        "team_id",
        "company_id",
        "summary",
        "plan",
        "issues",
        "market_feedback",
        "quality_feedback",
    )
)
# Written at submission and review only (under sudo).
SUBMISSION_FIELDS = frozenset(("state", "submitted_date", "on_time", "reviewed_date", "review_due", "reminded"))
# Overdue reviews escalated per run of the cron (each batch committed).
ESCALATE_BATCH = 500
# Reminders sent per run of the cron.
REMIND_BATCH = 2000
# How far a deadline may move over non-working days.
MAX_SHIFT_DAYS = 31


class SalesWorkReport(models.Model):
    """A salesperson's daily log, weekly or monthly report. The author submits it;
    the review is a one-step approval of the approval engine whose approver, the
    author's nearest leader up the team tree, is resolved at submission. The
    reviewer scores it against the rubric of its type, then marks it reviewed, or
    returns it for rework with a reason (back to draft)."""

    _name = "sales.work.report"
    _description = "Work Report"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.team.scoped.mixin", "sales.approval.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True
    _approval_state_field = "approval_state"
    # A sales administrator reviews any report.
    _approval_admin_group = "sales_team.group_sale_manager"
    _sql_constraints = [
        (
            "author_type_period_unique",
            "UNIQUE(company_id, user_id, report_type, date_from)",
            "An author writes one report per type and period.",
        ),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(string="Author", required=True, tracking=True)
    report_type = fields.Selection(REPORT_TYPES, string="Type", required=True, default="daily", tracking=True)
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="A day of the period reported on (the period is the day, its week or its month).",
    )
    date_from = fields.Date(string="From", compute="_compute_period", store=True, index=True, precompute=True)
    date_to = fields.Date(string="To", compute="_compute_period", store=True, precompute=True)
    deadline = fields.Datetime(
        compute="_compute_deadline",
        store=True,
        precompute=True,
        help="When the report is due: the company's deadline of its type, in the author's time zone, moved to the"
        " next working day of the company's calendar when it falls on a non-working day.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("reviewed", "Reviewed")],
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
    )
    approval_state = fields.Selection(
        [("none", "Not Submitted"), ("to_approve", "To Review"), ("approved", "Reviewed"), ("rejected", "Returned")],
        string="Review",
        default="none",
        required=True,
        readonly=True,
        copy=False,
    )
    approval_reason = fields.Text(string="Return Reason")
    reviewer_id = fields.Many2one("res.users", readonly=True, copy=False, help="Who reviewed the report.")
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    reviewed_date = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    reminded = fields.Boolean(readonly=True, copy=False, help="The author got the reminder before the deadline.")
    review_due = fields.Datetime(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the review is overdue and goes to the next leader up (the company's escalation delay in working"
        " days after the submission, or the last escalation).",
    )
    on_time = fields.Boolean(
        readonly=True, copy=False, help="Submitted by the deadline: set at the first submission, never recomputed."
    )
    is_late = fields.Boolean(
        compute="_compute_is_late", search="_search_is_late", string="Late", help="Submitted late, or past due."
    )
    summary = fields.Html(sanitize_style=True)
    plan = fields.Html(string="Next Period's Plan", sanitize_style=True)
    issues = fields.Html(sanitize_style=True)
    market_feedback = fields.Html(sanitize_style=True)
    quality_feedback = fields.Html(string="Product Quality Feedback", sanitize_style=True)
    previous_report_id = fields.Many2one(
        "sales.work.report", compute="_compute_previous_report_id", help="The author's previous report of this type."
    )
    previous_plan = fields.Html(
        compute="_compute_previous_report_id", string="Last Period's Plan", help="The plan of the previous report."
    )
    visit_ids = fields.Many2many(
        "sales.visit", compute="_compute_visit_ids", string="Visits", help="The author's visits done in the period."
    )
    visit_count = fields.Integer(compute="_compute_visit_ids", string="Visits Done")
    currency_id = fields.Many2one(related="company_id.currency_id")
    order_count = fields.Integer(
        string="Orders", compute="_compute_sales", store=True, help="The author's orders confirmed in the period."
    )
    order_amount = fields.Monetary(string="Orders Amount", compute="_compute_sales", store=True)
    quotation_count = fields.Integer(
        string="Quotations", compute="_compute_sales", store=True, help="The author's quotations of the period."
    )
    quotation_amount = fields.Monetary(string="Quotations Amount", compute="_compute_sales", store=True)
    score_ids = fields.One2many("sales.work.report.score", "report_id", string="Scores")
    score_total = fields.Float(string="Score", compute="_compute_score", store=True, aggregator="avg")
    score_max = fields.Float(string="Points", compute="_compute_score", store=True)
    score_rate = fields.Float(
        string="Score Rate (%)", compute="_compute_score", store=True, aggregator="avg", help="Score / points."
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("report_type", "date_from", "date_to", "user_id")
    def _compute_name(self):
        labels = dict(self._fields["report_type"]._description_selection(self.env))
        for report in self:
            if report.report_type == "daily" or not report.date_from:
                period = fields.Date.to_string(report.date_from or report.date)
            elif report.report_type == "weekly":
                year, week, _day = report.date_from.isocalendar()
                period = f"{year}-W{week:02d}"
            else:
                period = report.date_from.strftime("%Y-%m")
            report.name = f"{labels.get(report.report_type, '')} {period} {report.user_id.name or ''}".strip()

    @api.depends("report_type", "date")
    def _compute_period(self):
        for report in self:
            report.date_from, report.date_to = self._work_report_period(report.report_type, report.date)

    @api.depends("report_type", "date_to", "user_id.tz", "company_id.resource_calendar_id")
    def _compute_deadline(self):
        cache = {}
        for report in self:
            if not report.date_to:
                report.deadline = False
                continue
            company = report.company_id or self.env.company
            tz = report.user_id.tz or self.env.user.tz or "UTC"
            report.deadline = self._work_report_deadline_for(company, report.report_type, report.date_to, tz, cache)

    @api.depends("approval_state")
    def _compute_state(self):
        states = {"to_approve": "submitted", "approved": "reviewed"}
        for report in self:
            report.state = states.get(report.approval_state, "draft")

    @api.depends("on_time", "submitted_date", "deadline")
    @api.depends_context("uid")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for report in self:
            if report.submitted_date:
                report.is_late = not report.on_time
            else:
                report.is_late = bool(report.deadline and report.deadline < now)

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Late: only = and != True or False are supported."))
        domain = [
            "|",
            "&",
            ("submitted_date", "!=", False),
            ("on_time", "=", False),
            "&",
            ("submitted_date", "=", False),
            ("deadline", "<", fields.Datetime.now()),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("user_id", "report_type", "date_from")
    def _compute_previous_report_id(self):
        todo = self.filtered(lambda r: r.user_id and r.date_from)
        (self - todo).update({"previous_report_id": False, "previous_plan": False})
        if not todo:
            return
        candidates = self.sudo().search_fetch(
            [
                ("user_id", "in", todo.user_id.ids),
                ("report_type", "in", list(set(todo.mapped("report_type")))),
                ("date_from", "<", max(todo.mapped("date_from"))),
            ],
            ["user_id", "report_type", "date_from", "company_id", "plan"],
            order="date_from desc, id desc",
        )
        for report in todo:
            previous = next(
                (
                    c
                    for c in candidates
                    if c.user_id == report.user_id
                    and c.report_type == report.report_type
                    and c.company_id == report.company_id
                    and c.date_from < report.date_from
                ),
                self.browse(),
            )
            report.previous_report_id = previous.id
            report.previous_plan = previous.plan

    @api.depends("user_id", "date_from", "date_to", "company_id")
    def _compute_visit_ids(self):
        visits_by_report = self._work_report_visits()
        for report in self:
            visits = visits_by_report.get(report.id, self.env["sales.visit"])
            report.visit_ids = visits
            report.visit_count = len(visits)

    @api.depends("user_id", "date_from", "date_to", "company_id")
    def _compute_sales(self):
        """The author's confirmed orders (by their confirmation date) and quotations
        (by their date) of the period, in the author's time zone: two grouped queries
        per time zone of the authors."""
        todo = self.filtered(lambda r: r.user_id and r.date_from and r.date_to)
        (self - todo).update({"order_count": 0, "order_amount": 0.0, "quotation_count": 0, "quotation_amount": 0.0})
        Order = self.env["sale.order"].sudo()
        for tz, reports in todo.grouped(lambda r: r.user_id.tz or "UTC").items():
            start, stop = min(reports.mapped("date_from")), max(reports.mapped("date_to"))
            base = [
                ("user_id", "in", reports.user_id.ids),
                ("company_id", "in", reports.company_id.ids),
            ]
            start_utc, stop_utc = self._work_report_utc(start, tz), self._work_report_utc(stop + timedelta(days=1), tz)
            Order_tz = Order.with_context(tz=tz)
            orders = Order_tz._read_group(
                [*base, ("state", "=", "sale"), ("date_order", ">=", start_utc), ("date_order", "<", stop_utc)],
                ["user_id", "company_id", "date_order:day"],
                ["__count", "amount_untaxed:sum"],
            )
            quotations = Order_tz._read_group(
                [
                    *base,
                    ("state", "in", ("draft", "sent")),
                    ("date_order", ">=", start_utc),
                    ("date_order", "<", stop_utc),
                ],
                ["user_id", "company_id", "date_order:day"],
                ["__count", "amount_untaxed:sum"],
            )
            for report in reports:

                def total(rows, rep=report):
                    count = amount = 0
                    for user, company, stamp, row_count, row_amount in rows:
                        day = stamp.date() if isinstance(stamp, datetime) else stamp
                        if user == rep.user_id and company == rep.company_id and rep.date_from <= day <= rep.date_to:
                            count += row_count
                            amount += row_amount
                    return count, amount

                report.order_count, report.order_amount = total(orders)
                report.quotation_count, report.quotation_amount = total(quotations)

    @api.depends("score_ids.score", "score_ids.points")
    def _compute_score(self):
        for report in self:
            report.score_total = sum(report.score_ids.mapped("score"))
            report.score_max = sum(report.score_ids.mapped("points"))
            report.score_rate = 100.0 * report.score_total / report.score_max if report.score_max else 0.0

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("user_id", "report_type", "date_from", "company_id")
    def _check_unique_period(self):
        """One report per author, type and period (the SQL constraint backs it up)."""
        self._work_report_check_duplicates(
            [(r.company_id.id, r.user_id.id, r.report_type, r.date_from) for r in self], exclude=self
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        check_guarded_fields(self.env, vals_list, SUBMISSION_FIELDS, self._work_report_guard_message)
        if not self.env.su and not self.env.user.has_group("sales_team.group_sale_manager"):
            for vals in vals_list:
                if vals.get("user_id", self.env.uid) != self.env.uid:
                    raise ValidationError(
                        self.env._("Author: you write your own work reports, not those of another person.")
                    )
        # Refused before the INSERT, whose unique constraint would only say "duplicate key".
        keys = []
        for vals in vals_list:
            day = fields.Date.to_date(vals.get("date")) or fields.Date.context_today(self)
            date_from = self._work_report_period(vals.get("report_type") or "daily", day)[0]
            keys.append(
                (
                    vals.get("company_id") or self.env.company.id,
                    vals.get("user_id") or self.env.uid,
                    vals.get("report_type") or "daily",
                    date_from,
                )
            )
        self._work_report_check_duplicates(keys)
        return super().create(vals_list)

    def write(self, vals):
        check_guarded_fields(self.env, vals, SUBMISSION_FIELDS, self._work_report_guard_message)
        if not self.env.su and "score_ids" in vals:
            # The reviewer scores (the score lines check who may), even without the
            # right to write the report itself (a leader above the author's team).
            vals = dict(vals)
            self._work_report_write_scores(vals.pop("score_ids"))
            if not vals:
                return True
        if not self.env.su and not CONTENT_FIELDS.isdisjoint(vals):
            locked = self.filtered(lambda r: r.state != "draft")
            if locked:
                raise UserError(
                    self.env._(
                        "%(reports)s is submitted or reviewed: it cannot be edited (a report returned for rework can).",
                        reports=", ".join(locked.mapped("name")),
                    )
                )
            if "user_id" in vals and vals["user_id"] != self.env.uid:
                if not self.env.user.has_group("sales_team.group_sale_manager"):
                    raise ValidationError(
                        self.env._("Author: you write your own work reports, not those of another person.")
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if self.filtered(lambda r: r.state != "draft"):
            raise UserError(self.env._("A submitted or reviewed work report cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        """Submit the reports to their reviewer: the on-time flag is set (at the first
        submission only), the score lines are created (automatic items scored) and
        the author's leader gets a review activity."""
        wrong = self.filtered(lambda r: r.state != "draft")
        if wrong:
            raise UserError(self.env._("%(reports)s is already submitted.", reports=", ".join(wrong.mapped("name"))))
        self.check_access("write")
        others = self.filtered(lambda r: r.user_id != self.env.user)
        if others and not self.env.su and not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(
                self.env._("Only its author submits %(reports)s.", reports=", ".join(others.mapped("name")))
            )
        now = fields.Datetime.now()
        for report in self.filtered(lambda r: not r.submitted_date):
            report.sudo().write({"submitted_date": now, "on_time": bool(report.deadline and now <= report.deadline)})
        self._work_report_create_scores()
        self._approval_start()
        self._work_report_set_review_due(now)
        return True

    def action_review(self):
        """Mark the reports reviewed (their reviewer, or a sales administrator)."""
        self._approval_approve()
        return True

    def action_return(self, reason=None):
        """Return the reports for rework with ``reason`` (back to draft); without a
        reason, open the wizard asking for it."""
        return self.action_approval_reject(reason)

    def action_refresh(self):
        """Fill the period's figures again (orders, quotations) while in draft."""
        drafts = self.filtered(lambda r: r.state == "draft")
        drafts.check_access("write")
        drafts._compute_sales()
        return True

    # ------------------------------------------------------------------
    # Approval engine: one step, the review
    # ------------------------------------------------------------------
    @api.model
    def _get_approval_steps(self):
        return [
            self._approval_step(
                "review",
                self.env._("Review"),
                assign="_work_report_assign_reviewer",
                approver_field="reviewer_id",
            )
        ]

    def _work_report_assign_reviewer(self):
        """The author's nearest leader up the team tree who is not the author."""
        return {report.id: report.team_id._sales_get_nearest_leader(exclude=report.user_id) for report in self}

    def _approval_guarded_fields(self):
        return super()._approval_guarded_fields() | SUBMISSION_FIELDS | {"reviewer_id"}

    def _approval_request_texts(self, step, approver):
        self.ensure_one()
        summary = self.env._("Review %(report)s", report=self.name)
        note = self.env._("%(user)s submitted %(report)s for your review.", user=self.user_id.name, report=self.name)
        body = self.env._("Submitted for review to %(reviewer)s.", reviewer=approver.name)
        return summary, note, body

    def _approval_approved_text(self, step):
        return self.env._(
            "Reviewed by %(user)s: %(score)s / %(points)s.",
            user=self.env.user.name,
            score=self.score_total,
            points=self.score_max,
        )

    def _approval_rejected_text(self, reason):
        text = self.env._("Returned for rework by %(user)s: %(reason)s", user=self.env.user.name, reason=reason)
        scored = self.sudo().score_ids.filtered("score")
        if scored:
            # Formatted outside the translated call: Odoo's term extraction cannot read an f-string in it.
            scores = ", ".join(f"{line.item_id.name} {line.score:g} / {line.points:g}" for line in scored)
            total, points = f"{self.score_total:g}", f"{self.score_max:g}"
            text += " " + self.env._(
                "(scores so far: %(scores)s, total %(score)s / %(points)s)", scores=scores, score=total, points=points
            )
        return text

    def _approval_notify_partners(self):
        return self.user_id.partner_id

    def _approval_refused_message(self, refused):
        return self.env._(
            "You cannot review or return %(reports)s: it waits for %(reviewers)s.",
            reports=", ".join(refused.mapped("name")),
            reviewers=", ".join(refused.approver_id.mapped("name")) or self.env._("a sales administrator"),
        )

    def _approval_on_approved(self):
        self.sudo().write({"reviewed_date": fields.Datetime.now(), "review_due": False})

    def _approval_on_rejected(self):
        self.sudo().write({"review_due": False})

    # ------------------------------------------------------------------
    # Reminders before the deadline
    # ------------------------------------------------------------------
    @api.model
    def _cron_remind_work_reports(self, limit=REMIND_BATCH):
        """Remind the salespeople (current team members) whose report of a period is
        due within the company's reminder delay and not submitted: a to-do on the
        report, created as a draft if they have none. Once per report."""
        now = fields.Datetime.now()
        todo = []
        for company in self.env["res.company"].sudo().search([("work_report_reminder_hours", ">", 0)]):
            todo += self._work_report_reminders_due(company, now)
        batch = todo[:limit]
        reports = self._work_report_remind(batch)
        self.env["ir.cron"]._notify_progress(done=len(reports), remaining=len(todo) - len(batch))
        return reports

    @api.model
    def _work_report_reminders_due(self, company, now):
        """``[(company, user, type, date)]``: the reports due within the reminder
        delay in ``company`` and not submitted or reminded yet (a few queries)."""
        Member = self.env["crm.team.member"].sudo()
        members = Member.search_fetch(
            [("crm_team_id.company_id", "=", company.id), ("user_id.active", "=", True), ("user_id.share", "=", False)]
            + Member._sales_current_domain(),
            ["user_id"],
        )
        users = members.user_id
        horizon = now + timedelta(hours=company.work_report_reminder_hours)
        cache = {}
        working = {}
        candidates = []
        for user in users:
            tz = user.tz or "UTC"
            today = pytz.utc.localize(now).astimezone(pytz.timezone(tz)).date()
            if (today, tz) not in working:
                working[(today, tz)] = (
                    self._work_report_next_working_day(company.resource_calendar_id, today, tz) == today
                )
            for report_type, day in (
                ("daily", today),
                ("weekly", today - timedelta(days=7)),
                ("weekly", today),
                ("monthly", today.replace(day=1) - timedelta(days=1)),
                ("monthly", today),
            ):
                if report_type == "daily" and not working[(today, tz)]:
                    continue  # no daily log of a non-working day
                date_from, date_to = self._work_report_period(report_type, day)
                deadline = self._work_report_deadline_for(company, report_type, date_to, tz, cache)
                if now < deadline <= horizon:
                    candidates.append((user, report_type, date_from))
        if not candidates:
            return []
        existing = self.sudo().search_fetch(
            [
                ("company_id", "=", company.id),
                ("user_id", "in", list({c[0].id for c in candidates})),
                ("date_from", "in", list({c[2] for c in candidates})),
            ],
            ["user_id", "report_type", "date_from", "state", "reminded"],
        )
        done = {(r.user_id.id, r.report_type, r.date_from) for r in existing if r.state != "draft" or r.reminded}
        return [
            (company, user, report_type, date_from)
            for user, report_type, date_from in candidates
            if (user.id, report_type, date_from) not in done
        ]

    @api.model
    def _work_report_remind(self, items):
        """Create the missing draft reports of ``items`` and give every one a to-do
        for its author (one create of the reports, one of the activities)."""
        if not items:
            return self.browse()
        Report = self.sudo()
        existing = Report.search(
            [
                ("company_id", "in", list({c.id for c, _u, _t, _d in items})),
                ("user_id", "in", list({u.id for _c, u, _t, _d in items})),
                ("date_from", "in", list({d for _c, _u, _t, d in items})),
            ]
        )
        by_key = {(r.company_id.id, r.user_id.id, r.report_type, r.date_from): r for r in existing}
        missing = [item for item in items if (item[0].id, item[1].id, item[2], item[3]) not in by_key]
        created = Report.with_context(mail_create_nolog=True, tracking_disable=True).create(
            [
                {"company_id": c.id, "user_id": u.id, "report_type": t, "date": d, "team_id": u.sale_team_id.id}
                for c, u, t, d in missing
            ]
        )
        for report in created:
            by_key[(report.company_id.id, report.user_id.id, report.report_type, report.date_from)] = report
        reports = Report.browse([by_key[(c.id, u.id, t, d)].id for c, u, t, d in items])
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model,
                    "res_id": report.id,
                    "activity_type_id": activity_type.id,
                    "user_id": report.user_id.id,
                    # in the author's language
                    "summary": local.env._("Submit %(report)s", report=report.name),
                    "note": local.env._(
                        "Due %(deadline)s.",
                        deadline=fields.Datetime.to_string(
                            fields.Datetime.context_timestamp(
                                report.with_context(tz=report.user_id.tz), report.deadline
                            )
                        )[:16],
                    ),
                    "date_deadline": fields.Datetime.context_timestamp(
                        report.with_context(tz=report.user_id.tz), report.deadline
                    ).date(),
                }
                for report in reports
                for local in [report.with_context(lang=report.user_id.lang)]
            ]
        )
        reports.write({"reminded": True})
        return reports

    # ------------------------------------------------------------------
    # Escalation of overdue reviews
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate_reviews(self, limit=ESCALATE_BATCH):
        """Give the reviews overdue (``review_due`` past) to the next leader up, in
        batches; reports whose reviewer has no leader above stop waiting for one."""
        domain = [("approval_state", "=", "to_approve"), ("review_due", "<", fields.Datetime.now())]
        reports = self.sudo().search(domain, limit=limit, order="review_due, id")
        reports._work_report_escalate()
        remaining = self.sudo().search_count(domain) if len(reports) == limit else 0
        self.env["ir.cron"]._notify_progress(done=len(reports), remaining=remaining)

    def _work_report_escalate(self):
        """Give these reports' review to the next leader up the author's team tree
        above the current reviewer (who is neither the author nor him), with an
        activity, told in the chatter; the delay starts again."""
        now = fields.Datetime.now()
        step = self._approval_steps_by_code()["review"]
        Users = self.env["res.users"]
        escalated = self.browse()
        for report in self:
            leaders = [t.user_id for t in report.team_id._sales_get_ancestors() if t.user_id] if report.team_id else []
            current = report.approver_id
            after = leaders[leaders.index(current) + 1 :] if current in leaders else leaders
            higher = next((u for u in after if u not in (report.user_id, current)), Users)
            if not higher:
                report.sudo().write({"review_due": False})
                continue
            report.approval_activity_id.sudo().unlink()
            summary, note, _body = report.with_context(lang=higher.lang)._approval_request_texts(step, higher)
            activity = report.sudo().activity_schedule(
                "mail.mail_activity_data_todo", summary=summary, note=note, user_id=higher.id
            )
            report.sudo().write({"approver_id": higher.id, "approval_activity_id": activity.id})
            report.sudo().message_post(
                body=self.env._(
                    "The review waited too long for %(previous)s: it goes to %(reviewer)s.",
                    previous=current.name or "-",
                    reviewer=higher.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            escalated |= report
        escalated._work_report_set_review_due(now)

    def _work_report_set_review_due(self, start):
        """``review_due``: the company's escalation delay in working days after ``start``."""
        for report in self:
            company = report.company_id
            days = company.work_report_review_days
            if not days:
                report.sudo().write({"review_due": False})
                continue
            tz = report.user_id.tz or "UTC"
            zone = pytz.timezone(tz)
            local = pytz.utc.localize(start).astimezone(zone)
            day = local.date()
            for _i in range(days):
                day = self._work_report_next_working_day(company.resource_calendar_id, day + timedelta(days=1), tz)
            due = zone.localize(datetime.combine(day, local.time())).astimezone(pytz.utc).replace(tzinfo=None)
            report.sudo().write({"review_due": due})

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _work_report_guard_message(self):
        return self.env._(
            "The status, submission and review of a work report are set only through its Submit, Review and Return"
            " actions; they cannot be written directly."
        )

    @api.model
    def _work_report_period(self, report_type, day):
        """(first day, last day) of the period of ``report_type`` holding ``day``."""
        if not day:
            return False, False
        if report_type == "weekly":
            start = day - timedelta(days=day.weekday())
            return start, start + timedelta(days=6)
        if report_type == "monthly":
            return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
        return day, day

    @api.model
    def _work_report_check_duplicates(self, keys, exclude=None):
        """Refuse ``keys`` ((company id, user id, type, first day) of reports about to be
        written) when two of them, or one and an existing report, are equal: one
        search for all of them."""
        keys = [key for key in keys if key[1] and key[3]]
        if not keys:
            return
        existing = self.sudo().search_fetch(
            [
                ("id", "not in", exclude.ids if exclude else []),
                ("user_id", "in", list({key[1] for key in keys})),
                ("report_type", "in", list({key[2] for key in keys})),
                ("date_from", "in", list({key[3] for key in keys})),
            ],
            ["company_id", "user_id", "report_type", "date_from", "name"],
        )
        known = {(r.company_id.id, r.user_id.id, r.report_type, r.date_from): r.name for r in existing}
        for key in keys:
            if key in known:
                user = self.env["res.users"].sudo().browse(key[1])
                raise ValidationError(
                    self.env._(
                        "Period: %(author)s already has the report %(report)s for this period; open it instead of"
                        " writing another.",
                        author=user.name,
                        report=known[key],
                    )
                )
            known[key] = self.env._("being created")

    @api.model
    def _work_report_utc(self, day, tz, hour=0.0):
        """The naive UTC datetime of ``day`` at ``hour`` (24.0: its end) in ``tz``."""
        local = datetime.combine(day, time()) + timedelta(hours=hour)
        return pytz.timezone(tz).localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _work_report_deadline_for(self, company, report_type, date_to, tz, cache=None):
        """The deadline (naive UTC) of a report of ``report_type`` whose period ends
        on ``date_to``, of an author in ``tz``: the company's deadline of the type
        in ``tz``, moved over the non-working days of the company's working
        calendar (its public holidays included). ``cache``: a dict kept across
        calls (a batch of reports mostly shares its keys)."""
        key = (company.id, report_type, date_to, tz)
        if cache is not None and key in cache:
            return cache[key]
        if report_type == "weekly":
            day = date_to + timedelta(days=1)  # the Monday after the week
            hour = company.work_report_weekly_hour
        elif report_type == "monthly":
            last = calendar.monthrange(date_to.year, date_to.month)[1]
            day = date_to.replace(day=min(company.work_report_monthly_day or last, last))
            hour = company.work_report_monthly_hour
        else:
            day = date_to
            hour = company.work_report_daily_hour
        day = self._work_report_next_working_day(company.resource_calendar_id, day, tz)
        deadline = self._work_report_utc(day, tz, hour)
        if cache is not None:
            cache[key] = deadline
        return deadline

    @api.model
    def _work_report_next_working_day(self, work_calendar, day, tz):
        """``day``, or the first working day after it of ``work_calendar`` (in ``tz``)."""
        if not work_calendar:
            return day
        zone = pytz.timezone(tz)
        start = zone.localize(datetime.combine(day, time()))
        stop = zone.localize(datetime.combine(day + timedelta(days=MAX_SHIFT_DAYS), time()))
        intervals = work_calendar.sudo()._work_intervals_batch(start, stop, tz=zone)[False]
        working = {begin.astimezone(zone).date() for begin, _end, _rec in intervals}
        for shift in range(MAX_SHIFT_DAYS):
            candidate = day + timedelta(days=shift)
            if candidate in working:
                return candidate
        return day

    def _work_report_visits(self):
        """``{report id: visits}``: the visits each author did in the period (in their
        time zone), one search for all the reports."""
        todo = self.filtered(lambda r: r.user_id and r.date_from and r.date_to)
        if not todo:
            return {}
        stamps = {
            report.id: (
                self._work_report_utc(report.date_from, report.user_id.tz or "UTC"),
                self._work_report_utc(report.date_to + timedelta(days=1), report.user_id.tz or "UTC"),
            )
            for report in todo
        }
        visits = (
            self.env["sales.visit"]
            .sudo()
            .search(
                [
                    ("state", "=", "done"),
                    ("user_id", "in", todo.user_id.ids),
                    ("company_id", "in", todo.company_id.ids),
                    ("done_date", ">=", min(start for start, _stop in stamps.values())),
                    ("done_date", "<", max(stop for _start, stop in stamps.values())),
                ],
                order="done_date, id",
            )
        )
        result = {}
        for report in todo:
            start, stop = stamps[report.id]
            result[report.id] = visits.filtered(
                lambda v, rep=report, a=start, b=stop: (
                    v.user_id == rep.user_id and v.company_id == rep.company_id and a <= v.done_date < b
                )
            ).with_env(self.env)
        return result

    def _work_report_write_scores(self, commands):
        Score = self.env["sales.work.report.score"]
        for command in commands:
            if command[0] != 1:
                raise UserError(
                    self.env._("The score lines of a work report come from its rubric: only their scores change.")
                )
            score = Score.browse(command[1])
            if score.report_id not in self:
                raise UserError(self.env._("This score line belongs to another report."))
            score.write(command[2])

    def _work_report_create_scores(self):
        """Create the score lines of the reports' rubric (again at a new
        submission), the automatic items scored. At a resubmission after a return
        the reviewer's scores of the items scored by hand are kept (the automatic
        items are scored again from the data), so that the earlier review is not
        lost; the return's chatter message holds the scores of the returned version."""
        rubrics = self.env["sales.work.report.rubric"]._get_rubrics(self)
        earlier = {
            (score.report_id.id, score.item_id.id): score.score for score in self.sudo().score_ids if not score.auto
        }
        self.sudo().score_ids.unlink()
        vals_list = []
        for report in self:
            for item in rubrics[report.id].item_ids:
                vals = {"report_id": report.id, "item_id": item.id, "points": item.points, "auto": item.auto}
                kept = earlier.get((report.id, item.id))
                if not item.auto and kept and float_compare(kept, item.points, precision_digits=2) <= 0:
                    vals["score"] = kept
                vals_list.append(vals)
        scores = self.env["sales.work.report.score"].sudo().create(vals_list)
        auto = scores.filtered("auto")
        if auto:
            values = auto.report_id._work_report_auto_scores(auto)
            for score in auto:
                value = values.get(score.id)
                if value is not None:
                    score.write({"auto_score": value, "score": value})

    def _work_report_auto_scores(self, scores):
        """``{score id: value}`` for the automatic ``scores`` of these reports: each
        item's code names a check ``_work_report_auto_<code>(scores)``; an override
        adds checks."""
        result = {}
        for code, lines in scores.grouped(lambda s: s.item_id.code or "").items():
            check = getattr(self, f"_work_report_auto_{code}", None)
            if check:
                result.update(check(lines))
        return result

    def _work_report_auto_key_visits(self, scores):
        """Full points with at least 2 visits done in the period to key accounts
        (customers whose class, in the report's company, has a visit interval)."""
        visits = self._work_report_visits()
        result = {}
        for score in scores:
            report = score.report_id
            done = visits.get(report.id, self.env["sales.visit"]).sudo().with_company(report.company_id)
            key = done.filtered(lambda v: v.partner_id.commercial_partner_id.sales_class_id.visit_interval > 0)
            result[score.id] = score.points if len(key) >= 2 else 0.0
        return result
