# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging
from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, float_round

from odoo.addons.sales_team_mgmt.tools import check_guarded_fields, format_error_list

_logger = logging.getLogger(__name__)

# What a client may write on a scorecard besides the chatter: its note. The rest
# is written by the monthly run and the review chain (under sudo).
CLIENT_FIELDS = frozenset({"note"})
# Fields the chatter and the activities write on any document, locked or not.
MAIL_PREFIXES = ("message_", "activity_")
STATES = [
    ("draft", "Computed"),
    ("to_approve", "In Review"),
    ("approved", "Locked"),
    ("rejected", "Returned"),
]


class SalesScorecard(models.Model):
    """The monthly scorecard of a member (``crm.team.member``), made from the
    template of the member's role by :meth:`generate_month` for every member of
    every team at once, reviewed up the chain (team leader, sales planning, sales
    VP, HR: the approval engine) and locked once approved: nothing recomputes or
    changes a locked scorecard."""

    _name = "sales.scorecard"
    _description = "Scorecard"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.team.scoped.mixin", "sales.approval.mixin"]
    _order = "month desc, team_id, rank_team, id"
    _check_company_auto = True
    _approval_state_field = "state"
    _approval_locked_when_approved = True
    _sql_constraints = [
        ("member_month_uniq", "UNIQUE(member_id, month)", "A member has one scorecard per month."),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    member_id = fields.Many2one("crm.team.member", required=True, ondelete="restrict", index=True, readonly=True)
    market_id = fields.Many2one(
        "crm.team",
        index=True,
        readonly=True,
        help="The market the member's team belongs to (its top team when it is under no market).",
    )
    role_id = fields.Many2one("sales.role", readonly=True)
    template_id = fields.Many2one("sales.scorecard.template", required=True, readonly=True)
    month = fields.Date(required=True, index=True, readonly=True, help="First day of the month scored.")
    year = fields.Integer(compute="_compute_year", store=True, index=True)
    state = fields.Selection(STATES, required=True, default="draft", tracking=True, readonly=True, index=True)
    line_ids = fields.One2many(
        "sales.scorecard.line",
        "scorecard_id",
    )
    kpi_line_ids = fields.One2many(
        "sales.scorecard.line", "scorecard_id", string="KPI Lines", domain=[("line_type", "=", "kpi")]
    )
    rubric_line_ids = fields.One2many(
        "sales.scorecard.line", "scorecard_id", string="Daily Work", domain=[("line_type", "=", "rubric")]
    )
    kpi_weight = fields.Float(string="KPI Weight (%)", readonly=True)
    daily_work_weight = fields.Float(string="Daily Work Weight (%)", readonly=True)
    attendance_weight = fields.Float(string="Attendance Weight (%)", readonly=True)
    absence_penalty = fields.Float(string="Points per Absent Day", readonly=True)
    daily_work_source = fields.Selection([("rubric", "Rubric"), ("kpi", "KPI value")], readonly=True, default="rubric")
    daily_work_kpi_id = fields.Many2one("sales.kpi", string="Daily Work KPI", readonly=True)
    daily_work_kpi_value = fields.Float(string="Daily Work KPI Value", readonly=True, digits=(16, 2))
    kpi_score = fields.Float(string="KPI Score", compute="_compute_scores", store=True, digits=(16, 2))
    rubric_points = fields.Float(compute="_compute_scores", store=True)
    rubric_total = fields.Float(string="Points Given", compute="_compute_scores", store=True)
    daily_work_score = fields.Float(compute="_compute_scores", store=True, digits=(16, 2))
    attendance_measured = fields.Boolean(
        readonly=True, help="The member has an employee with a working calendar: absences are counted."
    )
    scheduled_days = fields.Integer(readonly=True, help="Working days of the member's calendar in the month.")
    absent_days = fields.Integer(
        readonly=True,
        help="Scheduled working days without attendance or approved leave (a half day counts as a day).",
    )
    late_count = fields.Integer(string="Late Days", readonly=True)
    attendance_score = fields.Float(compute="_compute_scores", store=True, digits=(16, 2))
    score = fields.Float(
        string="Monthly Score", compute="_compute_scores", store=True, digits=(16, 2), aggregator="avg", tracking=True
    )
    rank_team = fields.Integer(string="Rank in Team", readonly=True, aggregator=False)
    rank_market = fields.Integer(string="Rank in Market", readonly=True, aggregator=False)
    annual_score = fields.Float(
        compute="_compute_annual_score",
        digits=(16, 2),
        help="Mean of the member's monthly scores of the year (those that exist).",
    )
    previous_score = fields.Float(string="Last Month", compute="_compute_trend", digits=(16, 2))
    trend = fields.Float(compute="_compute_trend", digits=(16, 2), help="Score against last month's.")
    computed_date = fields.Datetime(string="Computed on", readonly=True)
    leader_approver_id = fields.Many2one("res.users", string="Scored by", readonly=True, copy=False)
    planning_approver_id = fields.Many2one("res.users", string="Consolidated by", readonly=True, copy=False)
    vp_approver_id = fields.Many2one("res.users", string="Checked by", readonly=True, copy=False)
    hr_approver_id = fields.Many2one("res.users", string="Approved by HR", readonly=True, copy=False)
    note = fields.Text()

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("user_id", "month")
    def _compute_name(self):
        for card in self:
            card.name = f"{card.user_id.name or ''} {card.month:%Y-%m}" if card.month else card.user_id.name

    @api.depends("month")
    def _compute_year(self):
        for card in self:
            card.year = card.month.year if card.month else 0

    @api.depends(
        "line_ids.weighted_score",
        "line_ids.rubric_score",
        "line_ids.points",
        "kpi_weight",
        "daily_work_weight",
        "attendance_weight",
        "absence_penalty",
        "absent_days",
        "daily_work_source",
        "daily_work_kpi_value",
    )
    def _compute_scores(self):
        for card in self:
            kpi_lines = card.line_ids.filtered(lambda line: line.line_type == "kpi")
            rubric_lines = card.line_ids - kpi_lines
            card.kpi_score = sum(kpi_lines.mapped("weighted_score"))
            card.rubric_points = sum(rubric_lines.mapped("points"))
            card.rubric_total = sum(rubric_lines.mapped("rubric_score"))
            if card.daily_work_source == "kpi":
                card.daily_work_score = card.daily_work_kpi_value
            else:
                card.daily_work_score = 100.0 * card.rubric_total / card.rubric_points if card.rubric_points else 0.0
            card.attendance_score = max(0.0, 100.0 - card.absence_penalty * card.absent_days)
            card.score = float_round(
                (
                    card.kpi_weight * card.kpi_score
                    + card.daily_work_weight * card.daily_work_score
                    + card.attendance_weight * card.attendance_score
                )
                / 100.0,
                precision_digits=2,
            )

    def _compute_annual_score(self):
        groups = self.sudo()._read_group(
            [("member_id", "in", self.member_id.ids), ("year", "in", list(set(self.mapped("year"))))],
            ["member_id", "year"],
            ["score:avg"],
        )
        means = {(member.id, year): mean for member, year, mean in groups}
        for card in self:
            card.annual_score = means.get((card.member_id.id, card.year), 0.0)

    def _compute_trend(self):
        months = {card.month - relativedelta(months=1) for card in self if card.month}
        previous = self.sudo().search_read(
            [("member_id", "in", self.member_id.ids), ("month", "in", list(months))],
            ["member_id", "month", "score"],
        )
        scores = {(row["member_id"][0], row["month"]): row["score"] for row in previous}
        for card in self:
            last = scores.get((card.member_id.id, card.month - relativedelta(months=1))) if card.month else None
            card.previous_score = last or 0.0
            card.trend = card.score - last if last is not None else 0.0

    # ------------------------------------------------------------------
    # CRUD: made by the monthly run, locked once approved
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.check_access("create")
            raise UserError(
                self.env._("Scorecards are made for every member at once by Generate Scorecards, not one by one.")
            )
        return super().create(vals_list)

    def write(self, vals):
        self._sales_check_input([vals])
        check_guarded_fields(
            self.env,
            vals,
            {name for name in self._fields if name not in CLIENT_FIELDS and not name.startswith(MAIL_PREFIXES)},
            self._sales_guard_message,
        )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        started = self.filtered(lambda card: card.state != "draft")
        if started:
            raise UserError(
                self.env._(
                    "%(cards)s are in review: only computed scorecards can be deleted.",
                    cards=", ".join(started.mapped("display_name")),
                )
            )

    def _sales_guard_message(self):
        return self.env._(
            "A scorecard is computed by the monthly run and moves through its review: only its note can be "
            "written directly."
        )

    def _approval_lock_message(self):
        """A locked (approved) scorecard never changes, superuser included: pay
        depends on it (the engine's lock, ``_approval_locked_when_approved``)."""
        return self.env._(
            "%(cards)s are approved and locked: nothing on them can change. A correction goes into "
            "the next open month.",
            cards=", ".join(self.mapped("display_name")),
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def generate_month(self, month, company_id=None):
        """Make the scorecards of ``month`` (``"YYYY-MM"`` or a date in the month)
        for every member of every team of the company (default the current one)
        who is a member at any time in that month, and compute them. Idempotent:
        a member's existing scorecard is recomputed (unless it is locked), never
        duplicated; what changed is told in its chatter. Returns
        ``{"created": n, "recomputed": n, "locked": n, "scorecard_ids": [...]}``."""
        if not (self.env.su or self.env.user.has_group("sales_kpi.group_sales_kpi_manager")):
            raise AccessError(self.env._("Only KPI managers generate the scorecards of a month."))
        first = self._sales_parse_month(month)
        company = self.env["res.company"].browse(company_id) if company_id else self.env.company
        if company_id and company not in self.env.user.company_ids and not self.env.su:
            raise AccessError(self.env._("You cannot generate the scorecards of another company."))
        return self.sudo()._sales_generate(company, first)

    @api.model
    def _cron_generate_scorecards(self):
        """Daily: in every company with a scorecard template, make and recompute
        the scorecards of the current month, and recompute those of the previous
        month that are still computed or returned (not in review, not locked), so
        that the month's late invoices and attendance corrections reach them until
        their review starts. A company whose setup is incomplete (a role without a
        template) is skipped with a warning in the log; the others go on."""
        today = fields.Date.context_today(self)
        current = today.replace(day=1)
        previous = current - relativedelta(months=1)
        companies = self.env["res.company"].browse(
            company.id for (company,) in self.env["sales.scorecard.template"].sudo()._read_group([], ["company_id"])
        )
        done = 0
        for company in companies:
            try:
                with self.env.cr.savepoint():
                    self.sudo()._sales_generate(company, current)
                    open_cards = self.sudo().search(
                        [
                            ("company_id", "=", company.id),
                            ("month", "=", previous),
                            ("state", "in", ("draft", "rejected")),
                        ]
                    )
                    if open_cards:
                        self.sudo()._sales_generate(company, previous, members=open_cards.member_id)
            except UserError as error:
                _logger.warning("Scorecards of %s skipped: %s", company.name, error)
                continue
            done += 1
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        return True

    def action_recompute(self):
        """Recompute these scorecards (not locked ones) from the facts, the daily
        work and the attendance; the chatter tells what changed."""
        self._approval_check_unlocked()
        self.check_access("write")
        by_month = defaultdict(lambda: self.browse())
        for card in self:
            by_month[(card.company_id, card.month)] |= card
        for (company, month), cards in by_month.items():
            self.sudo()._sales_generate(company, month, members=cards.member_id)
        return True

    def action_submit(self):
        """Send computed or returned scorecards to their review: the member's team
        leader first. Mass action of a team's list."""
        self.check_access("write")
        wrong = self.filtered(lambda card: card.state not in ("draft", "rejected"))
        if wrong:
            raise UserError(
                self.env._("%(cards)s are already in review or locked.", cards=", ".join(wrong.mapped("display_name")))
            )
        self._approval_start()
        return True

    def action_approval_reject(self, reason=None):
        """A scorecard is not rejected: it is returned to the previous step of its
        review (see :meth:`action_return`); the engine's wizard asks the reason."""
        if reason is None:
            return super().action_approval_reject()
        return self.action_return(reason)

    def action_return(self, reason=None):
        """Return these scorecards to the previous step of their review, with a
        reason (at the first step: to Returned, to be sent again)."""
        if reason is None:
            return self.action_approval_reject()  # the engine's wizard asks the reason
        self._approval_check_can_act()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the return."))
        steps = self._get_approval_steps()
        index = {step["code"]: i for i, step in enumerate(steps)}
        first = self.filtered(lambda card: index.get(card.approval_step, 0) == 0)
        if first:
            first._approval_reject(reason)
        for code, cards in (self - first).grouped("approval_step").items():
            previous = steps[index[code] - 1]
            for card in cards:
                card._approval_post(
                    self.env._(
                        "Returned by %(user)s to %(step)s: %(reason)s",
                        user=self.env.user.name,
                        step=previous["name"],
                        reason=reason,
                    )
                )
            cards._approval_enter_step(previous)
        return True

    def action_print(self):
        return self.env.ref("sales_kpi.action_report_sales_scorecard").report_action(self)

    # ------------------------------------------------------------------
    # Review chain (approval engine)
    # ------------------------------------------------------------------
    @api.model
    def _get_approval_steps(self):
        return [
            self._approval_step(
                "leader",
                self.env._("Team Leader"),
                assign="_approval_leader_approvers",
                allowed="_approval_leader_allowed",
                approver_field="leader_approver_id",
            ),
            self._approval_step(
                "planning",
                self.env._("Sales Planning"),
                group="sales_kpi.group_sales_kpi_manager",
                approver_field="planning_approver_id",
            ),
            self._approval_step(
                "vp",
                self.env._("Sales VP"),
                needed="_scorecard_needs_vp",
                assign="_scorecard_assign_vp",
                approver_field="vp_approver_id",
            ),
            self._approval_step("hr", self.env._("HR"), group="hr.group_hr_manager", approver_field="hr_approver_id"),
        ]

    def _approval_leader_missing_message(self):
        return self.env._(
            "No team leader above %(cards)s can score them: give their team or a team above a leader.",
            cards=", ".join(self.mapped("display_name")),
        )

    def _scorecard_vp(self):
        """``{company id: user}``: the sales VP, the leader of the company's
        leadership (SLT) team (a team of no company serves every company)."""
        slt = (
            self.env["crm.team"]
            .sudo()
            .search(
                [
                    ("team_type", "=", "slt"),
                    ("company_id", "in", [*self.company_id.ids, False]),
                    ("user_id", "!=", False),
                ],
                order="id",
            )
        )
        shared = slt.filtered(lambda team: not team.company_id)[:1].user_id
        result = {company.id: shared for company in self.company_id if shared}
        for team in slt.filtered("company_id"):
            result.setdefault(team.company_id.id, team.user_id)
            if result[team.company_id.id] == shared:
                result[team.company_id.id] = team.user_id
        return result

    def _scorecard_needs_vp(self):
        vps = self._scorecard_vp()
        return self.filtered(lambda card: card.company_id.id in vps)

    def _scorecard_assign_vp(self):
        vps = self._scorecard_vp()
        return {card.id: vps[card.company_id.id] for card in self}

    def _approval_notify_partners(self):
        return self.user_id.partner_id

    def _approval_on_approved(self):
        for card in self:
            card._approval_post(self.env._("The scorecard is approved and locked."))

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _sales_is_leader_above(self, user):
        """Whether ``user`` leads the member's team or a team above it (never the
        member himself)."""
        self.ensure_one()
        if user == self.user_id:
            return False
        teams = self.team_id.sudo()._sales_get_ancestors()
        return user in teams.user_id or user in teams.slt_user_id

    @api.model
    def _sales_parse_month(self, month):
        if isinstance(month, date):
            return month.replace(day=1)
        try:
            if isinstance(month, str) and len(month) == 7:
                return fields.Date.to_date(f"{month}-01")
            return fields.Date.to_date(month).replace(day=1)
        except (TypeError, ValueError, AttributeError) as error:
            raise UserError(self.env._("Unknown month %(month)r: give it as 'YYYY-MM'.", month=month)) from error

    def _sales_generate(self, company, month, members=None):
        """Make (or recompute) the scorecards of ``month`` for ``members`` (default:
        every member of every team of ``company`` in that month); runs as sudo."""
        month_end = month + relativedelta(months=1, days=-1)
        Member = self.env["crm.team.member"]
        if members is None:
            members = Member.search(
                [
                    "|",
                    ("crm_team_id.company_id", "=", company.id),
                    # a team of no company: the members whose company it is
                    "&",
                    ("crm_team_id.company_id", "=", False),
                    ("user_id.company_id", "=", company.id),
                    ("crm_team_id.active", "=", True),
                    ("user_id", "!=", False),
                ]
                + Member._sales_period_domain(month, month_end),
                order="id",
            )
        existing = self.search([("member_id", "in", members.ids), ("month", "=", month)])
        existing_by_member = {card.member_id.id: card for card in existing}
        locked = existing.filtered(lambda card: card.state == "approved")
        to_refresh = existing - locked
        new_members = members.filtered(lambda m: m.id not in existing_by_member)
        templates = self.env["sales.scorecard.template"].search([("company_id", "=", company.id)])
        by_role = {template.role_id.id: template for template in templates if template.role_id}
        default = templates.filtered("is_default")[:1]
        template_of = {member.id: by_role.get(member.role_id.id, default) for member in new_members}
        missing = new_members.filtered(lambda m: not template_of[m.id])
        if missing:
            raise UserError(
                format_error_list(
                    [
                        self.env._(
                            "No scorecard template for the role %(role)s of %(member)s (%(team)s): "
                            "give the role a template or mark one as the default.",
                            role=member.role_id.display_name or self.env._("(none)"),
                            member=member.user_id.name,
                            team=member.crm_team_id.name,
                        )
                        for member in missing[:20]
                    ]
                )
            )
        used_templates = self.env["sales.scorecard.template"].union(*template_of.values())
        kpis = (
            used_templates._sales_kpis()
            | to_refresh.line_ids.kpi_id
            | to_refresh.line_ids.gate_kpi_id
            | to_refresh.daily_work_kpi_id
        )
        users = (new_members.user_id | to_refresh.user_id).ids
        period = f"{month:%Y-%m}"
        values = {}
        if kpis and users:
            for row in kpis.compute_values("user", users, [period]):
                values[(row["kpi_id"], row["owner_id"])] = row["value"]
        attendance = self.env["sales.scorecard.attendance"]._sales_attendance_figures(
            users, month, month_end, company=company
        )
        markets = self._sales_markets(new_members.crm_team_id | to_refresh.team_id)
        now = fields.Datetime.now()
        vals_list = []
        for member in new_members:
            template = template_of[member.id]
            user_id = member.user_id.id
            figures = attendance.get(user_id, {})
            lines = []
            for line in template.line_ids:
                line_vals = line._curve_values()
                line_vals.update(
                    template_line_id=line.id,
                    company_id=company.id,
                    user_id=user_id,
                    team_id=member.crm_team_id.id,
                    month=month,
                )
                if line.line_type == "kpi":
                    line_vals["actual"] = values.get((line.kpi_id.id, user_id), 0.0)
                    line_vals["gate_value"] = values.get((line.gate_kpi_id.id, user_id), 0.0)
                lines.append(Command.create(line_vals))
            vals_list.append(
                {
                    "company_id": company.id,
                    "member_id": member.id,
                    "user_id": user_id,
                    "team_id": member.crm_team_id.id,
                    "market_id": markets.get(member.crm_team_id.id),
                    "role_id": member.role_id.id,
                    "template_id": template.id,
                    "month": month,
                    "kpi_weight": template.kpi_weight,
                    "daily_work_weight": template.daily_work_weight,
                    "attendance_weight": template.attendance_weight,
                    "absence_penalty": template.absence_penalty,
                    "daily_work_source": template.daily_work_source,
                    "daily_work_kpi_id": template.daily_work_kpi_id.id
                    if template.daily_work_source == "kpi"
                    else False,
                    "daily_work_kpi_value": values.get((template.daily_work_kpi_id.id, user_id), 0.0)
                    if template.daily_work_source == "kpi"
                    else 0.0,
                    "attendance_measured": figures.get("measured", False),
                    "scheduled_days": figures.get("scheduled_days", 0),
                    "absent_days": figures.get("absent_days", 0),
                    "late_count": figures.get("late_count", 0),
                    "computed_date": now,
                    "line_ids": lines,
                }
            )
        quiet = self.with_context(tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True)
        created = quiet.create(vals_list) if vals_list else self.browse()
        to_refresh._sales_refresh(values, attendance, markets, now)
        cards = created | to_refresh | locked
        (created | to_refresh)._sales_rank()
        _logger.info(
            "Scorecards of %s for %s: %s created, %s recomputed, %s locked",
            period,
            company.name,
            len(created),
            len(to_refresh),
            len(locked),
        )
        return {
            "created": len(created),
            "recomputed": len(to_refresh),
            "locked": len(locked),
            "scorecard_ids": cards.ids,
        }

    def _sales_refresh(self, values, attendance, markets, now):
        """Write the new figures of these (unlocked) scorecards, only where they
        changed, and tell in each one's chatter what changed."""
        if not self:
            return
        old_scores = {card.id: card.score for card in self}
        changes = defaultdict(list)
        for line in self.line_ids.filtered(lambda line: line.line_type == "kpi"):
            user_id = line.scorecard_id.user_id.id
            new = {
                "actual": values.get((line.kpi_id.id, user_id), 0.0),
                "gate_value": values.get((line.gate_kpi_id.id, user_id), 0.0),
            }
            diff = {k: v for k, v in new.items() if float_compare(line[k], v, precision_digits=2)}
            if diff:
                if "actual" in diff:
                    changes[line.scorecard_id.id].append(f"{line.name}: {line.actual:g} → {new['actual']:g}")
                line.write(diff)
        for card in self:
            figures = attendance.get(card.user_id.id, {})
            new = {
                "attendance_measured": figures.get("measured", False),
                "scheduled_days": figures.get("scheduled_days", 0),
                "absent_days": figures.get("absent_days", 0),
                "late_count": figures.get("late_count", 0),
                "market_id": markets.get(card.team_id.id),
            }
            if card.daily_work_source == "kpi":
                new["daily_work_kpi_value"] = values.get((card.daily_work_kpi_id.id, card.user_id.id), 0.0)
            diff = {k: v for k, v in new.items() if (card[k].id if k == "market_id" else card[k]) != v}
            if "absent_days" in diff:
                changes[card.id].append(
                    self.env._("Absent days: %(old)s → %(new)s", old=card.absent_days, new=diff["absent_days"])
                )
            if "daily_work_kpi_value" in diff:
                changes[card.id].append(
                    self.env._(
                        "Daily-work KPI: %(old)s → %(new)s",
                        old=format(card.daily_work_kpi_value, "g"),
                        new=format(diff["daily_work_kpi_value"], "g"),
                    )
                )
            if diff:
                card.write(diff)
        self.write({"computed_date": now})
        for card in self.filtered(lambda c: c.id in changes):
            card.message_post(
                body=self.env._(
                    "Recomputed: %(changes)s. Monthly score %(old)s → %(new)s.",
                    changes="; ".join(changes[card.id]),
                    old=format(old_scores[card.id], "g"),
                    new=format(card.score, "g"),
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _sales_markets(self, teams):
        """``{team id: market id}``: the nearest market at or above each team, else
        its top team; one read of the teams' ancestors."""
        teams = teams.sudo()
        ancestor_ids = {int(i) for team in teams for i in (team.parent_path or f"{team.id}/").split("/")[:-1]}
        ancestors = self.env["crm.team"].sudo().browse(ancestor_ids)
        types = {team.id: team.team_type for team in ancestors}
        result = {}
        for team in teams:
            chain = [int(i) for i in (team.parent_path or f"{team.id}/").split("/")[:-1]]
            markets = [tid for tid in reversed(chain) if types.get(tid) == "market"]
            result[team.id] = markets[0] if markets else chain[0]
        return result

    def _sales_rank(self):
        """Rank the scorecards of the months of these ones within their team and
        within their market (ties share a rank: 1, 1, 3), in one statement; locked
        scorecards keep theirs."""
        if not self:
            return
        self.flush_model(["score", "team_id", "market_id", "month", "company_id", "state"])
        pairs = sorted({(card.company_id.id, card.month) for card in self})
        self.env.cr.execute(
            SQL(
                """
                UPDATE sales_scorecard s
                   SET rank_team = r.rank_team, rank_market = r.rank_market
                  FROM (
                        SELECT id,
                               RANK() OVER (PARTITION BY company_id, month, team_id ORDER BY score DESC) AS rank_team,
                               RANK() OVER (PARTITION BY company_id, month, market_id ORDER BY score DESC)
                                   AS rank_market
                          FROM sales_scorecard
                         WHERE (company_id, month) IN (SELECT c, m FROM unnest(%(companies)s, %(months)s) AS t(c, m))
                       ) r
                 WHERE s.id = r.id
                   AND s.state <> 'approved'
                   AND (s.rank_team IS DISTINCT FROM r.rank_team OR s.rank_market IS DISTINCT FROM r.rank_market)
                """,
                companies=[company for company, _month in pairs],
                months=[month for _company, month in pairs],
            )
        )
        self.invalidate_model(["rank_team", "rank_market"])
