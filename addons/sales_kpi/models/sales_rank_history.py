# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesRankHistory(models.Model):
    """A member's rank on a ladder over dated periods: the row without an end date
    (or ending after today) is the current rank. HR enrols a member with a first
    row; an approved promotion closes the current row on the day before its
    effective date and opens the next one, so the history is never rewritten."""

    _name = "sales.rank.history"
    _description = "Rank History"
    _inherit = ["mail.thread", "sales.team.scoped.mixin"]
    _order = "user_id, ladder_id, date_start desc, id desc"
    _check_company_auto = True

    user_id = fields.Many2one(required=True, ondelete="cascade", string="Member", tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    rank_id = fields.Many2one("sales.rank", required=True, index=True, check_company=True, tracking=True)
    ladder_id = fields.Many2one(related="rank_id.ladder_id", store=True, index=True)
    member_id = fields.Many2one(
        "crm.team.member",
        string="Membership",
        index="btree_not_null",
        ondelete="set null",
        help="The team membership the member held when the rank started.",
    )
    date_start = fields.Date(
        string="Start Date", required=True, default=fields.Date.context_today, tracking=True, index=True
    )
    date_end = fields.Date(string="End Date", tracking=True, help="Last day of the rank; empty while it lasts.")
    is_current = fields.Boolean(string="Current", compute="_compute_is_current", search="_search_is_current")
    proposal_id = fields.Many2one(
        "sales.promotion.proposal",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The approved proposal that opened this rank.",
    )
    bonus_rate = fields.Float(related="rank_id.bonus_rate")
    note = fields.Text()

    @api.depends("date_start", "date_end")
    @api.depends_context("date")
    def _compute_is_current(self):
        today = self.env["crm.team.member"]._sales_today()
        for row in self:
            row.is_current = bool(
                row.date_start and row.date_start <= today and (not row.date_end or row.date_end >= today)
            )

    def _search_is_current(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on the Current field."))
        today = self.env["crm.team.member"]._sales_today()
        domain = [("date_start", "<=", today), "|", ("date_end", "=", False), ("date_end", ">=", today)]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.depends("user_id", "rank_id", "date_start")
    def _compute_display_name(self):
        for row in self:
            row.display_name = f"{row.user_id.name or ''}: {row.rank_id.display_name or ''} ({row.date_start or ''})"

    @api.constrains("date_start", "date_end", "user_id", "rank_id")
    def _check_dates(self):
        for row in self:
            if row.date_end and row.date_start and row.date_end < row.date_start:
                raise ValidationError(
                    self.env._(
                        "End Date (%(end)s) of the rank of %(user)s cannot be before its Start Date (%(start)s).",
                        end=row.date_end,
                        user=row.user_id.name,
                        start=row.date_start,
                    )
                )
        self.flush_model(["user_id", "ladder_id", "date_start", "date_end"])
        self.env.cr.execute(
            """
            SELECT a.id, b.id
              FROM sales_rank_history a
              JOIN sales_rank_history b
                ON b.user_id = a.user_id AND b.ladder_id = a.ladder_id AND b.id <> a.id
               AND b.date_start <= COALESCE(a.date_end, 'infinity'::date)
               AND a.date_start <= COALESCE(b.date_end, 'infinity'::date)
             WHERE a.id = ANY(%s)
             LIMIT 1
            """,
            [self.ids],
        )
        row = self.env.cr.fetchone()
        if row:
            first = self.browse(row[0])
            raise ValidationError(
                self.env._(
                    "%(user)s already holds a rank of %(ladder)s in that period: the Start Date and End Date of a "
                    "rank cannot overlap another rank of the same ladder.",
                    user=first.user_id.name,
                    ladder=first.ladder_id.display_name,
                )
            )

    @api.model
    def _rank_in_force_domain(self, day):
        return [("date_start", "<=", day), "|", ("date_end", "=", False), ("date_end", ">=", day)]

    @api.model
    def _sales_ranks_at(self, user_ids, day, ladder=None):
        """``{user id: rank}``: the rank each user holds on ``day`` (on ``ladder``,
        default any active ladder: the highest bonus tier wins), in one search;
        users without a rank are left out. Pay reads the bonus tier of the rank
        held at the month's end (``rank.bonus_rate``)."""
        domain = [("user_id", "in", list(user_ids)), ("ladder_id.active", "=", True), *self._rank_in_force_domain(day)]
        if ladder:
            domain.append(("ladder_id", "=", ladder.id))
        result = {}
        for row in self.sudo().search(domain, order="id"):
            held = result.get(row.user_id.id)
            if not held or row.rank_id.bonus_rate > held.bonus_rate:
                result[row.user_id.id] = row.rank_id
        return {user_id: rank.with_env(self.env) for user_id, rank in result.items()}

    def _rank_close_and_open(self, rank, effective_date, proposal, member):
        """Close this (current) rank on the day before ``effective_date`` and open
        ``rank`` from it; returns the new row (runs as sudo)."""
        self.ensure_one()
        if effective_date <= self.date_start:
            raise ValidationError(
                self.env._(
                    "The effective date %(date)s must be after the start of the current rank of %(user)s (%(start)s).",
                    date=effective_date,
                    user=self.user_id.name,
                    start=self.date_start,
                )
            )
        next_end = self.date_end if self.date_end and self.date_end >= effective_date else False
        self.write({"date_end": effective_date - timedelta(days=1)})
        return self.create(
            {
                "user_id": self.user_id.id,
                "company_id": self.company_id.id,
                "team_id": (member or self.member_id).crm_team_id.id or self.team_id.id,
                "rank_id": rank.id,
                "member_id": (member or self.member_id).id,
                "date_start": effective_date,
                "date_end": next_end,
                "proposal_id": proposal.id,
            }
        )
