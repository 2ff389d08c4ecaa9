# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_round

from odoo.addons.sales_team_mgmt.tools import check_guarded_fields

_logger = logging.getLogger(__name__)

# What a client may write on a proposal: its effective date and note, while it
# waits for approval. The rest is written by the evaluation and the approval.
CLIENT_FIELDS = frozenset({"effective_date", "note"})
MAIL_PREFIXES = ("message_", "activity_")
STATES = [
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancel", "Withdrawn"),
]
KINDS = [("promotion", "Promotion"), ("demotion", "Demotion Review")]
# Groups that run the evaluation.
EVALUATOR_GROUPS = ("hr.group_hr_manager", "sales_kpi.group_sales_kpi_manager")


class SalesPromotionProposal(models.Model):
    """A proposal to move a member to another rank of a ladder, made by the monthly
    evaluation (:meth:`evaluate_month`) with its evidence (the months of personal
    sales against the rank's threshold, the direct subordinates at rank, the
    average scorecard score), approved by the member's leader up the team tree
    then by HR (the approval engine). Approval closes the member's current rank
    and membership on the day before the effective date and opens the new ones.
    A demotion review is a proposal too: nothing demotes a member automatically."""

    _name = "sales.promotion.proposal"
    _description = "Promotion Proposal"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.team.scoped.mixin", "sales.approval.mixin"]
    _order = "month desc, id desc"
    _check_company_auto = True
    _approval_state_field = "state"
    # Decided (see _approval_locked_records): the engine refuses any change.
    _approval_locked_when_approved = True
    _sql_constraints = [
        (
            "user_ladder_month_kind_uniq",
            "UNIQUE(user_id, ladder_id, month, kind)",
            "A member has one proposal of each kind per ladder and month.",
        ),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(required=True, string="Member", readonly=True)
    member_id = fields.Many2one(
        "crm.team.member", string="Membership", readonly=True, ondelete="set null", index="btree_not_null"
    )
    kind = fields.Selection(KINDS, required=True, default="promotion", readonly=True, index=True)
    ladder_id = fields.Many2one("sales.rank.ladder", required=True, readonly=True, index=True, check_company=True)
    month = fields.Date(required=True, readonly=True, index=True, help="First day of the month evaluated.")
    current_rank_id = fields.Many2one("sales.rank", readonly=True, check_company=True)
    target_rank_id = fields.Many2one(
        "sales.rank", string="Proposed Rank", required=True, readonly=True, check_company=True
    )
    target_role_id = fields.Many2one(related="target_rank_id.role_id", string="Proposed Role")
    current_history_id = fields.Many2one("sales.rank.history", readonly=True, ondelete="set null")
    new_history_id = fields.Many2one("sales.rank.history", string="New Rank Record", readonly=True, copy=False)
    new_member_id = fields.Many2one("crm.team.member", string="New Membership", readonly=True, copy=False)
    effective_date = fields.Date(
        required=True,
        tracking=True,
        help="The day the new rank (and role) starts; the current ones end the day before.",
    )
    state = fields.Selection(STATES, required=True, default="to_approve", tracking=True, readonly=True, index=True)
    criteria_met = fields.Boolean(readonly=True, help="Whether the member met every criterion at the last evaluation.")
    window_months = fields.Integer(string="Window (Months)", readonly=True)
    months_required = fields.Integer(readonly=True)
    months_met = fields.Integer(string="Months Over Threshold", readonly=True)
    sales_threshold = fields.Monetary(string="Monthly Sales Threshold", currency_field="currency_id", readonly=True)
    min_subordinates = fields.Integer(string="Subordinates Required", readonly=True)
    subordinate_rank_id = fields.Many2one("sales.rank", readonly=True)
    subordinate_count = fields.Integer(string="Subordinates at Rank", readonly=True)
    min_average_score = fields.Float(string="Average Score Required", digits=(16, 2), readonly=True)
    average_score = fields.Float(digits=(16, 2), readonly=True)
    evidence_line_ids = fields.One2many("sales.promotion.evidence", "proposal_id", string="Evidence", readonly=True)
    evaluated_date = fields.Datetime(string="Evaluated on", readonly=True)
    leader_approver_id = fields.Many2one("res.users", string="Approved by Leader", readonly=True, copy=False)
    hr_approver_id = fields.Many2one("res.users", string="Approved by HR", readonly=True, copy=False)
    note = fields.Text()

    @api.depends("user_id", "target_rank_id", "month", "kind")
    def _compute_name(self):
        for proposal in self:
            what = dict(KINDS).get(proposal.kind, "")
            month = f"{proposal.month:%Y-%m}" if proposal.month else ""
            proposal.name = f"{what} {proposal.user_id.name or ''} → {proposal.target_rank_id.code or ''} {month}"

    # ------------------------------------------------------------------
    # CRUD: made by the evaluation, changed by the approval
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.check_access("create")
            raise UserError(
                self.env._("Promotion proposals are made by the monthly evaluation (Evaluate Ranks), not one by one.")
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

    def _approval_locked_records(self):
        """A decided proposal (approved, rejected or withdrawn) no longer changes."""
        return self.filtered(lambda p: p.state != "to_approve")

    def _approval_lock_message(self):
        return self.env._(
            "%(proposals)s are decided: their effective date and note no longer change.",
            proposals=", ".join(self.mapped("display_name")),
        )

    def _sales_guard_message(self):
        return self.env._(
            "A promotion proposal is made by the monthly evaluation and decided through its approval: only its "
            "effective date and note can be written directly."
        )

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------
    @api.model
    def evaluate_month(self, month, company_id=None):
        """Evaluate every member holding a rank of a ladder of the company (default
        the current one) at the end of ``month`` (``"YYYY-MM"``): propose the next
        rank to those who meet its criteria, flag a demotion review for those who
        no longer meet their own rank's sales criterion, with the evidence.
        Idempotent: a member's proposal of the month is updated (while it waits),
        never duplicated; a member with a proposal waiting from another month gets
        none. Returns ``{"evaluated", "proposed", "demotion_reviews", "updated",
        "withdrawn", "proposal_ids"}``."""
        if not (self.env.su or any(self.env.user.has_group(group) for group in EVALUATOR_GROUPS)):
            raise AccessError(self.env._("Only HR and KPI managers evaluate the ranks of a month."))
        first = self.env["sales.scorecard"]._sales_parse_month(month)
        company = self.env["res.company"].browse(company_id) if company_id else self.env.company
        if company_id and (not company.exists() or (company not in self.env.user.company_ids and not self.env.su)):
            raise AccessError(self.env._("You cannot evaluate the ranks of another company."))
        return self.sudo()._rank_evaluate(company, first)

    @api.model
    def _cron_evaluate_ranks(self):
        """Monthly: evaluate last month in every company that has a ladder (the
        progress, company by company, reported to the cron runner)."""
        last_month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        companies = [company for (company,) in self.env["sales.rank.ladder"].sudo()._read_group([], ["company_id"])]
        for index, company in enumerate(companies):
            self.sudo()._rank_evaluate(company, last_month)
            self.env["ir.cron"]._notify_progress(done=index + 1, remaining=len(companies) - index - 1)

    def action_evaluate_month(self):
        """The button: evaluate last month in the current company."""
        last_month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        label = f"{last_month:%Y-%m}"
        result = self.evaluate_month(label)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "%(month)s: %(evaluated)s members evaluated, %(proposed)s promotions proposed, %(reviews)s "
                    "demotion reviews, %(updated)s updated, %(withdrawn)s withdrawn.",
                    month=label,
                    evaluated=result["evaluated"],
                    proposed=result["proposed"],
                    reviews=result["demotion_reviews"],
                    updated=result["updated"],
                    withdrawn=result["withdrawn"],
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _rank_evaluate(self, company, first):
        """The evaluation of ``first`` (a month's first day) in ``company``, as sudo;
        a fixed number of queries whatever the number of members."""
        month_end = first + relativedelta(months=1, days=-1)
        History = self.env["sales.rank.history"]
        histories = History.search(
            [("company_id", "=", company.id), ("ladder_id.active", "=", True)]
            + History._rank_in_force_domain(month_end),
            order="id",
        )
        result = {"evaluated": len(histories), "proposed": 0, "demotion_reviews": 0, "updated": 0, "withdrawn": 0}
        if not histories:
            return dict(result, proposal_ids=[])
        figures = self._rank_figures(company, first, histories)
        existing = self.search(
            [
                ("company_id", "=", company.id),
                ("user_id", "in", histories.user_id.ids),
                ("ladder_id", "in", histories.ladder_id.ids),
                "|",
                ("month", "=", first),
                ("state", "=", "to_approve"),
            ]
        )
        this_month = {(p.user_id.id, p.ladder_id.id, p.kind): p for p in existing if p.month == first}
        # one waiting proposal per member and ladder: a new one waits for it to be decided
        waiting = {(p.user_id.id, p.ladder_id.id) for p in existing if p.state == "to_approve"}
        now = fields.Datetime.now()
        new_vals, updates = [], []
        for row in histories:
            key = (row.user_id.id, row.ladder_id.id)
            for kind, target_rank, evidence, flagged in self._rank_candidates(row, first, figures):
                proposal = this_month.get((*key, kind))
                if proposal:
                    if proposal.state == "to_approve":
                        updates.append((proposal, evidence, flagged))
                elif flagged and key not in waiting:
                    new_vals.append(self._rank_proposal_vals(row, kind, target_rank, evidence, first, figures, now))
                    waiting.add(key)
        quiet = self.with_context(tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True)
        created = quiet.create(new_vals) if new_vals else self.browse()
        if created:
            created._approval_enter(0)
        result["proposed"] = len(created.filtered(lambda p: p.kind == "promotion"))
        result["demotion_reviews"] = len(created) - result["proposed"]
        for proposal, evidence, flagged in updates:
            changed = proposal._rank_update_evidence(evidence, now)
            if not flagged:
                proposal._rank_withdraw()
                result["withdrawn"] += 1
            elif changed:
                result["updated"] += 1
        _logger.info("Ranks of %s for %s: %s", f"{first:%Y-%m}", company.name, result)
        return dict(result, proposal_ids=(created | existing.filtered(lambda p: p.month == first)).ids)

    @api.model
    def _rank_figures(self, company, first, histories):
        """Everything the evaluation of ``histories`` (the ranks in force at the end
        of the month ``first``) reads, in a fixed number of queries: the ladders'
        order, the personal sales and scorecard scores by member and month (two
        grouped queries), the memberships and the direct subordinates."""
        month_end = first + relativedelta(months=1, days=-1)
        ladders = histories.ladder_id
        ranks = self.env["sales.rank"].search([("ladder_id", "in", ladders.ids)], order="ladder_id, sequence, id")
        next_rank, previous_rank = {}, {}
        for _ladder, ladder_ranks in ranks.grouped("ladder_id").items():
            for lower, higher in zip(ladder_ranks, ladder_ranks[1:], strict=False):
                next_rank[lower] = higher
                previous_rank[higher] = lower
        users = histories.user_id
        window = max([1, *ranks.mapped("window_months")])
        period = [
            ("company_id", "=", company.id),
            ("user_id", "in", users.ids),
            ("month", ">=", first - relativedelta(months=window - 1)),
            ("month", "<=", first),
        ]
        sales = defaultdict(dict)
        measures = sorted(set(ladders.mapped("sales_measure")))
        for user, month, *amounts in self.env["sales.kpi.fact"]._read_group(
            period, ["user_id", "month:month"], [f"{measure}:sum" for measure in measures]
        ):
            sales[user.id][month] = dict(zip(measures, amounts, strict=True))
        scores = defaultdict(dict)
        for user, month, score in self.env["sales.scorecard"]._read_group(
            period, ["user_id", "month:month"], ["score:avg"]
        ):
            scores[user.id][month] = score
        # direct subordinates: the members (at the month's end) of the teams each member leads
        Member = self.env["crm.team.member"]
        led_teams = self.env["crm.team"].search([("user_id", "in", users.ids)])
        members = Member.search(
            ["|", ("user_id", "in", users.ids), ("crm_team_id", "in", led_teams.ids), ("user_id", "!=", False)]
            + Member._sales_period_domain(month_end, month_end),
            order="id",
        )
        membership, subordinates = {}, defaultdict(set)
        for member in members:
            if member.user_id in users:
                membership.setdefault(member.user_id.id, member)
            leader = member.crm_team_id.user_id
            if leader and member.crm_team_id in led_teams and leader != member.user_id:
                subordinates[leader.id].add(member.user_id.id)
        return {
            "next": next_rank,
            "previous": previous_rank,
            "position": {rank: index for index, rank in enumerate(ranks)},
            "sales": sales,
            "scores": scores,
            "membership": membership,
            "subordinates": subordinates,
            "rank_of": {(row.user_id.id, row.ladder_id.id): row.rank_id for row in histories},
        }

    @api.model
    def _rank_candidates(self, row, first, figures):
        """``[(kind, target rank, evidence values, flagged)]`` for the rank ``row``:
        the next rank's promotion, and, when it is not met, a demotion review of
        a rank held for its whole window whose sales criterion is no longer met."""
        candidates = []
        target = figures["next"].get(row.rank_id)
        if target:
            evidence = self._rank_evidence(row, target, first, figures)
            candidates.append(("promotion", target, evidence, evidence["criteria_met"]))
        rank, lower = row.rank_id, figures["previous"].get(row.rank_id)
        if (
            not (candidates and candidates[0][3])
            and lower
            and rank.demotion_review
            and rank.months_required
            and row.date_start <= first - relativedelta(months=rank.window_months - 1)
        ):
            evidence = self._rank_evidence(row, rank, first, figures, sales_only=True)
            candidates.append(("demotion", lower, evidence, evidence["months_met"] < rank.months_required))
        return candidates

    @api.model
    def _rank_proposal_vals(self, row, kind, target_rank, evidence, first, figures, now):
        member = figures["membership"].get(row.user_id.id)
        return dict(
            evidence,
            company_id=row.company_id.id,
            user_id=row.user_id.id,
            team_id=member.crm_team_id.id if member else row.team_id.id,
            member_id=member.id if member else False,
            kind=kind,
            ladder_id=row.ladder_id.id,
            month=first,
            current_rank_id=row.rank_id.id,
            target_rank_id=target_rank.id,
            current_history_id=row.id,
            effective_date=first + relativedelta(months=1),
            evaluated_date=now,
        )

    @api.model
    def _rank_evidence(self, row, rank, first, figures, sales_only=False):
        """The values of a proposal's evidence for ``rank``'s criteria."""
        sales, scores = figures["sales"][row.user_id.id], figures["scores"][row.user_id.id]
        rank_of, position = figures["rank_of"], figures["position"]
        measure = row.ladder_id.sales_measure
        currency = row.company_id.currency_id
        months = [first - relativedelta(months=i) for i in reversed(range(rank.window_months))]
        lines, met = [], 0
        for month in months:
            amount = (sales.get(month) or {}).get(measure, 0.0) or 0.0
            over = currency.compare_amounts(amount, rank.sales_threshold) >= 0
            met += over
            lines.append(
                {
                    "month": month,
                    "amount": currency.round(amount),
                    "threshold": rank.sales_threshold,
                    "met": over,
                    "score": scores.get(month, 0.0) or 0.0,
                    "has_score": month in scores,
                }
            )
        scored = [line["score"] for line in lines if line["has_score"]]
        average = float_round(sum(scored) / len(scored), precision_digits=2) if scored else 0.0
        floor = position.get(rank.subordinate_rank_id)
        count = sum(
            1
            for sub_id in figures["subordinates"].get(row.user_id.id, ())
            if floor is None
            or (rank_of.get((sub_id, row.ladder_id.id)) and position[rank_of[(sub_id, row.ladder_id.id)]] >= floor)
        )
        ok = met >= rank.months_required
        if not sales_only:
            ok = (
                ok
                and count >= rank.min_subordinates
                and float_compare(average, rank.min_average_score, precision_digits=2) >= 0
            )
        return {
            "criteria_met": ok,
            "window_months": rank.window_months,
            "months_required": rank.months_required,
            "months_met": met,
            "sales_threshold": rank.sales_threshold,
            "min_subordinates": 0 if sales_only else rank.min_subordinates,
            "subordinate_rank_id": False if sales_only else rank.subordinate_rank_id.id,
            "subordinate_count": count,
            "min_average_score": 0.0 if sales_only else rank.min_average_score,
            "average_score": average,
            "evidence_line_ids": [Command.create(line) for line in lines],
        }

    def _rank_update_evidence(self, evidence, now):
        """Write a new evidence on this waiting proposal when it changed; tell it
        in the chatter. Returns whether it changed."""
        self.ensure_one()
        figures = {k: v for k, v in evidence.items() if k != "evidence_line_ids"}
        old = {k: (self[k].id if k == "subordinate_rank_id" else self[k]) for k in figures}
        old_lines = [
            (line.month, line.currency_id.round(line.amount), line.met, line.score) for line in self.evidence_line_ids
        ]
        new_lines = [
            (c[2]["month"], c[2]["amount"], c[2]["met"], float_round(c[2]["score"], precision_digits=2))
            for c in evidence["evidence_line_ids"]
        ]
        old_lines = [(m, a, t, float_round(s, precision_digits=2)) for m, a, t, s in old_lines]
        if old == figures and old_lines == new_lines:
            return False
        self.write(
            dict(figures, evaluated_date=now, evidence_line_ids=[Command.clear(), *evidence["evidence_line_ids"]])
        )
        self._approval_post(
            self.env._(
                "Evaluated again: %(met)s of %(window)s months over the threshold, %(subs)s subordinates at rank, "
                "average score %(score)s.",
                met=self.months_met,
                window=self.window_months,
                subs=self.subordinate_count,
                score=format(self.average_score, "g"),
            )
        )
        return True

    def _rank_withdraw(self):
        """The member no longer meets the criteria: withdraw the waiting proposal."""
        self.ensure_one()
        self.approval_activity_id.sudo().unlink()
        self.sudo().write({"state": "cancel", "approval_step": False, "approval_activity_id": False})
        self._approval_post(self.env._("Withdrawn: the member no longer meets the criteria."))

    # ------------------------------------------------------------------
    # Approval: the member's leader up the tree, then HR
    # ------------------------------------------------------------------
    @api.model
    def _get_approval_steps(self):
        return [
            self._approval_step(
                "leader",
                self.env._("Leader"),
                needed="_approval_leader_needed",
                assign="_approval_leader_approvers",
                allowed="_approval_leader_allowed",
                approver_field="leader_approver_id",
            ),
            self._approval_step("hr", self.env._("HR"), group="hr.group_hr_manager", approver_field="hr_approver_id"),
        ]

    def _approval_notify_partners(self):
        return self.user_id.partner_id

    def _approval_on_approved(self):
        for proposal in self:
            proposal.sudo()._rank_apply()

    def _rank_apply(self):
        """Change the member's rank (and role, when the new rank gives one) from
        the effective date: close the current rank and membership on the day
        before, open new ones; the history keeps both."""
        self.ensure_one()
        History = self.env["sales.rank.history"]
        current = self.current_history_id
        if not current or current.date_end and current.date_end < self.effective_date:
            current = History.search(
                [("user_id", "=", self.user_id.id), ("ladder_id", "=", self.ladder_id.id)]
                + History._rank_in_force_domain(self.effective_date - relativedelta(days=1)),
                limit=1,
            )
        if not current or current.rank_id != self.current_rank_id:
            raise UserError(
                self.env._(
                    "The rank of %(user)s changed since %(proposal)s was made: it cannot be applied.",
                    user=self.user_id.name,
                    proposal=self.display_name,
                )
            )
        member = self.member_id
        role = self.target_rank_id.role_id
        new_member = self.env["crm.team.member"]
        if role and member and member.role_id != role:
            if member.date_start and member.date_start >= self.effective_date:
                member.write({"role_id": role.id})
                new_member = member
            else:
                end = member.date_end if member.date_end and member.date_end >= self.effective_date else False
                member.write({"date_end": self.effective_date - relativedelta(days=1)})
                new_member = member.create(
                    {
                        "crm_team_id": member.crm_team_id.id,
                        "user_id": member.user_id.id,
                        "role_id": role.id,
                        "date_start": self.effective_date,
                        "date_end": end,
                    }
                )
        new_rank = current._rank_close_and_open(self.target_rank_id, self.effective_date, self, new_member or member)
        self.write({"new_history_id": new_rank.id, "new_member_id": new_member.id})
        self._approval_post(
            self.env._(
                "%(user)s holds %(rank)s from %(date)s%(role)s.",
                user=self.user_id.name,
                rank=self.target_rank_id.display_name,
                date=self.effective_date,
                role=self.env._(", role %(role)s", role=role.display_name) if new_member else "",
            )
        )
