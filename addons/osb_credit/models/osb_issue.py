# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.sales_team_mgmt.tools import check_guarded_fields

ISSUE_STATES = [
    ("open", "Open"),
    ("in_progress", "In Progress"),
    ("resolved", "Resolved"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("open", "in_progress")
# Written by the actions and the overdue cron only, under sudo.
GUARDED_FIELDS = ("state", "resolved_date", "resolved_by_id", "overdue_notified")
# What the owner of an issue (not SSG leader) may change: its progress and resolution.
OWNER_FIELDS = frozenset(("progress", "resolution"))
SSG_LEADER = "osb_credit.group_osb_ssg_leader"
OVERDUE_BATCH = 500


class OsbIssue(models.Model):
    """An issue of the OSB issue log (OSB 问题记录): raised at the monthly OSB
    meeting, numbered, given to an owner with a due date and followed until it
    is resolved (a resolution is required) or cancelled. The SSG leader keeps
    the log; the owner updates the progress and the resolution of their own
    issues; everyone else of the company reads it."""

    _name = "osb.issue"
    _description = "OSB Issue"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "meeting_date desc, name desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Number", required=True, copy=False, readonly=True, default="/", index="trigram")
    title = fields.Char(string="Issue", required=True, tracking=True)
    description = fields.Text(help="The issue as raised at the meeting.")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    meeting_date = fields.Date(
        required=True,
        index=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Date of the monthly OSB meeting that raised the issue.",
    )
    department_id = fields.Many2one(
        "osb.issue.department",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        help="The department where the issue arose (sales, finance, warehousing and transport...).",
    )
    owner_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Who follows the issue until it is resolved; gets an activity when it is overdue.",
    )
    date_due = fields.Date(
        string="Due Date",
        compute="_compute_date_due",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        tracking=True,
        help="Default: the next monthly meeting (one month after the meeting date).",
    )
    state = fields.Selection(
        ISSUE_STATES,
        string="Status",
        required=True,
        default="open",
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    progress = fields.Text(help="Where the issue stands: updated by its owner.")
    resolution = fields.Text(tracking=True, help="What was done: required to resolve the issue.")
    resolved_date = fields.Date(readonly=True, copy=False)
    resolved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    order_ids = fields.Many2many(
        "sale.order",
        "osb_issue_sale_order_rel",
        "issue_id",
        "order_id",
        string="Orders",
        check_company=True,
        help="The orders the issue is about.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "osb_issue_res_partner_rel",
        "issue_id",
        "partner_id",
        string="Customers",
        check_company=True,
        domain="[('is_company', '=', True)]",
        help="The customers the issue is about.",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Open or in progress, due date passed.",
    )
    overdue_notified = fields.Boolean(
        readonly=True,
        copy=False,
        help="The owner got the overdue activity (once; a new due date clears it).",
    )
    can_manage = fields.Boolean(
        compute="_compute_can_manage", help="The current user keeps the log (SSG leader): edits every field."
    )
    can_update = fields.Boolean(
        compute="_compute_can_manage", help="The current user may update the progress and the resolution."
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("meeting_date")
    def _compute_date_due(self):
        for issue in self:
            default = issue.meeting_date and issue.meeting_date + relativedelta(months=1)
            issue.date_due = issue.date_due or default

    @api.depends("name", "title")
    def _compute_display_name(self):
        for issue in self:
            issue.display_name = f"{issue.name} {issue.title}" if issue.title and issue.name != "/" else issue.title

    @api.depends_context("uid")
    @api.depends("owner_id")
    def _compute_can_manage(self):
        leader = self.env.su or self.env.user.has_group(SSG_LEADER)
        for issue in self:
            issue.can_manage = leader
            issue.can_update = leader or issue.owner_id == self.env.user

    @api.depends_context("tz")
    @api.depends("state", "date_due")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for issue in self:
            issue.is_overdue = issue.state in OPEN_STATES and bool(issue.date_due) and issue.date_due < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Overdue: search it with = or != and true or false."))
        today = fields.Date.context_today(self)
        if (operator == "=") == value:
            return [("state", "in", OPEN_STATES), ("date_due", "<", today)]
        return ["|", ("state", "not in", OPEN_STATES), ("date_due", ">=", today)]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("state", "resolution")
    def _check_resolution(self):
        for issue in self:
            if issue.state == "resolved" and not (issue.resolution or "").strip():
                raise ValidationError(self._missing_resolution_message(issue))

    @api.constrains("owner_id")
    def _check_owner_active(self):
        for issue in self.sudo():
            if issue.owner_id and not issue.owner_id.active:
                raise ValidationError(
                    self.env._(
                        "Owner: %(user)s is archived and cannot follow the issue %(name)s; choose an active user.",
                        user=issue.owner_id.name,
                        name=issue.name,
                    )
                )

    @api.constrains("meeting_date", "date_due")
    def _check_date_due(self):
        for issue in self:
            if issue.date_due and issue.meeting_date and issue.date_due < issue.meeting_date:
                raise ValidationError(
                    self.env._(
                        "Due Date: the issue %(name)s is due %(due)s, before the meeting %(meeting)s that raised it.",
                        name=issue.name,
                        due=issue.date_due,
                        meeting=issue.meeting_date,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        check_guarded_fields(self.env, vals_list, GUARDED_FIELDS, self._guarded_message)
        self.browse().check_access("create")  # who may not create hears it first
        for vals in vals_list:
            if not vals.get("owner_id"):
                raise ValidationError(self._missing_owner_message())
        issues = super().create(vals_list)
        issues._assign_numbers()
        return issues

    def write(self, vals):
        check_guarded_fields(self.env, vals, GUARDED_FIELDS, self._guarded_message)
        if "owner_id" in vals and not vals["owner_id"]:
            raise ValidationError(self._missing_owner_message())
        if not self.env.su and not self.env.user.has_group(SSG_LEADER):
            # the record rules first: someone else's issue is an access fault
            self.check_access("write")
            others = sorted(set(vals) - OWNER_FIELDS - self._mail_fields())
            if others:
                raise UserError(
                    self.env._(
                        "%(fields)s: the SSG leader changes these on an issue; as its owner you update its "
                        "progress and its resolution.",
                        fields=", ".join(self._fields[name]._description_string(self.env) for name in others),
                    )
                )
        if "date_due" in vals and not self.env.su:
            # a new due date: the owner is told again when it passes
            self.sudo().write({"overdue_notified": False})
        return super().write(vals)

    @api.model
    def _mail_fields(self):
        # written by the chatter on any document the user may read
        return {"message_main_attachment_id"}

    def _assign_numbers(self):
        """Number the new issues from their company's sequence (one sequence per
        company, copied from the template on first use), dated by the meeting."""
        todo = self.filtered(lambda issue: issue.name == "/")
        if not todo:
            return
        sequences = self._company_sequences(todo.company_id)
        for issue in todo.sorted(lambda i: (i.meeting_date, i.id)):
            sequence = sequences[issue.company_id.id].with_context(ir_sequence_date=issue.meeting_date)
            number = sequence.next_by_id(sequence_date=issue.meeting_date)
            issue.sudo().with_context(tracking_disable=True).name = number

    @api.model
    def _company_sequences(self, companies):
        Sequence = self.env["ir.sequence"].sudo()
        found = Sequence.search([("code", "=", self._name), ("company_id", "in", companies.ids)], order="id")
        by_company = {}
        for sequence in found:
            by_company.setdefault(sequence.company_id.id, sequence)
        template = self.env.ref("osb_credit.seq_osb_issue").sudo()
        for company in companies:
            if company.id not in by_company:
                by_company[company.id] = template.copy(
                    {"company_id": company.id, "name": f"{template.name} ({company.name})", "number_next": 1}
                )
        return by_company

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_start(self):
        """The owner (or the SSG leader) starts working on the issue."""
        self._check_owner_or_leader()
        self._set_state("in_progress", ("open",))
        return True

    def action_resolve(self):
        """Close the issue as resolved: its resolution says what was done."""
        self._check_owner_or_leader()
        missing = self.filtered(lambda issue: not (issue.resolution or "").strip())
        if missing:
            raise UserError(self._missing_resolution_message(missing[0]))
        self._set_state("resolved", OPEN_STATES)
        return True

    def action_cancel(self):
        """The SSG leader drops an issue the meeting no longer follows."""
        self._check_leader()
        self._set_state("cancelled", OPEN_STATES)
        return True

    def action_reopen(self):
        """The SSG leader reopens a resolved or cancelled issue."""
        self._check_leader()
        self._set_state("open", ("resolved", "cancelled"))
        return True

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _guarded_message(self):
        return self.env._("The status of an OSB issue changes through its buttons (Start, Resolve, Cancel, Reopen).")

    def _missing_owner_message(self):
        return self.env._("Owner: an OSB issue needs its owner, who follows it until it is resolved.")

    def _missing_resolution_message(self, issue):
        return self.env._(
            "Resolution: say what was done before resolving the issue %(name)s.", name=issue.name or issue.title
        )

    def _check_owner_or_leader(self):
        if self.env.su or self.env.user.has_group(SSG_LEADER):
            return
        others = self.filtered(lambda issue: issue.owner_id != self.env.user)
        if others:
            # read-only for everyone but its owner (the record rules say the same)
            self.check_access("write")
            raise UserError(
                self.env._(
                    "The issue %(name)s belongs to %(owner)s: only its owner or the SSG leader moves it.",
                    name=others[0].name,
                    owner=others[0].owner_id.name,
                )
            )

    def _check_leader(self):
        if not (self.env.su or self.env.user.has_group(SSG_LEADER)):
            raise UserError(self.env._("Only the SSG leader cancels or reopens an OSB issue."))
        self.check_access("write")

    def _set_state(self, state, allowed_from):
        wrong = self.filtered(lambda issue: issue.state not in allowed_from)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "The issue %(name)s is %(state)s: it cannot become %(new)s.",
                    name=wrong[0].name,
                    state=labels[wrong[0].state],
                    new=labels[state],
                )
            )
        closing = state in ("resolved", "cancelled")
        self.sudo().write(
            {
                "state": state,
                "resolved_date": fields.Date.context_today(self) if state == "resolved" else False,
                "resolved_by_id": self.env.user.id if state == "resolved" else False,
            }
        )
        if closing:
            self.sudo().activity_feedback(["osb_credit.mail_activity_type_osb_issue_overdue"])

    # ------------------------------------------------------------------
    # Overdue issues: one activity for the owner
    # ------------------------------------------------------------------

    @api.model
    def _cron_overdue_activities(self, limit=OVERDUE_BATCH):
        """Give each overdue issue (open or in progress, due date passed) one
        activity for its owner, never twice, in batches of ``limit``."""
        domain = [("is_overdue", "=", True), ("overdue_notified", "=", False)]
        Issue = self.sudo().with_context(active_test=False)
        issues = Issue.search(domain, limit=limit, order="date_due, id")
        issues._notify_overdue()
        remaining = Issue.search_count(domain) if len(issues) == limit else 0
        self.env["ir.cron"]._notify_progress(done=len(issues), remaining=remaining)

    def _notify_overdue(self):
        """One create of the activities of these issues, one write of their flag."""
        if not self:
            return
        activity_type = self.env.ref("osb_credit.mail_activity_type_osb_issue_overdue")
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": issue.id,
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "user_id": issue.owner_id.id,
                    "summary": self.env._("Overdue OSB issue %(name)s", name=issue.name),
                    "note": self.env._(
                        "%(title)s: due %(due)s, raised at the OSB meeting of %(meeting)s.",
                        title=issue.title,
                        due=issue.date_due,
                        meeting=issue.meeting_date,
                    ),
                    "date_deadline": fields.Date.context_today(self),
                }
                for issue in self
            ]
        )
        self.sudo().with_context(tracking_disable=True).write({"overdue_notified": True})

    # ------------------------------------------------------------------
    # Report: the printable list for the meeting
    # ------------------------------------------------------------------

    def _report_groups(self):
        """``[(meeting date, [(status label, issues), ...]), ...]``: these issues
        by meeting (latest first), then by status (in the workflow's order)."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        order = {state: index for index, (state, _label) in enumerate(ISSUE_STATES)}
        by_meeting = defaultdict(lambda: defaultdict(lambda: self.browse()))
        for issue in self.sorted(lambda i: (i.name, i.id)):
            by_meeting[issue.meeting_date][issue.state] |= issue
        return [
            (
                meeting,
                [(labels[state], by_meeting[meeting][state]) for state in sorted(by_meeting[meeting], key=order.get)],
            )
            for meeting in sorted(by_meeting, reverse=True)
        ]
