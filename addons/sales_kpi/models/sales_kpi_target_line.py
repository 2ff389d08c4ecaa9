# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

from .sales_kpi_target_plan import split_target, split_units

LINE_METHODS = [
    ("equal", "Equal"),
    ("prior_year", "Prior-year Share"),
    ("seasonality", "Seasonality"),
    ("manual", "Manual"),
    ("proposal", "Bottom-up Proposal"),
    ("copy", "Same as Parent"),
]
# What a member may change on a draft line of their own.
PROPOSAL_FIELDS = {"proposed_target", "proposal_note"}
# What a team leader may change on the lines split from a line of a team they
# lead (their sub-teams, their members, the quarters and months of these).
LEADER_FIELDS = {"target", "method", "justification"}
# Cursor flag: an allocation writes a whole split, checked once it is written.
ALLOCATING_KEY = "sales_kpi.allocating"


class SalesKpiTargetLine(models.Model):
    """One target: an owner (the company, a team or a team member) and a
    period (year, quarter or month). Lines form a tree: a year line splits
    into the year lines of the sub-teams and members (owner split) and into
    its own quarters, each quarter into its months (period split); each
    group of children sums exactly to its parent."""

    _name = "sales.kpi.target.line"
    _description = "Sales Target"
    _order = "plan_id, sequence, date_from, period_type, id"
    _parent_store = True
    _check_company_auto = True

    plan_id = fields.Many2one("sales.kpi.target.plan", required=True, ondelete="cascade", index=True)
    parent_id = fields.Many2one("sales.kpi.target.line", string="Parent Target", ondelete="cascade", index=True)
    child_ids = fields.One2many("sales.kpi.target.line", "parent_id", string="Split Into")
    parent_path = fields.Char(index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    kpi_id = fields.Many2one(related="plan_id.kpi_id", store=True, index=True)
    state = fields.Selection(related="plan_id.state", string="Plan Status")
    owner_type = fields.Selection(
        [("company", "Company"), ("team", "Team"), ("user", "Member")],
        required=True,
        default="team",
    )
    team_id = fields.Many2one("crm.team", index=True, check_company=True)
    user_id = fields.Many2one("res.users", string="Member", index=True)
    member_id = fields.Many2one("crm.team.member", string="Membership", ondelete="set null")
    role_id = fields.Many2one(related="member_id.role_id", string="Role")
    period_type = fields.Selection(
        [("year", "Year"), ("quarter", "Quarter"), ("month", "Month")], required=True, default="year"
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date()
    period_label = fields.Char(string="Period", compute="_compute_period_label", store=True)
    split_kind = fields.Selection(
        [("owner", "Organisation"), ("period", "Calendar")],
        compute="_compute_split_kind",
        store=True,
        help="Organisation: split from the parent team's target for the same period. "
        "Calendar: split from the same owner's longer period.",
    )
    target = fields.Float(aggregator="sum")
    method = fields.Selection(LINE_METHODS, default="manual")
    fallback = fields.Boolean(string="Equal Fallback", help="No history to share on: the target was split equally.")
    prior_value = fields.Float(string="Last Year", readonly=True, aggregator="sum")
    growth = fields.Float(string="Growth (%)", compute="_compute_growth", aggregator="avg")
    justification = fields.Text(help="Required when the growth over last year exceeds the policy maximum.")
    proposed_target = fields.Float(string="Proposal", help="Target proposed by the member (bottom-up).")
    proposal_note = fields.Char()
    can_adjust = fields.Boolean(
        compute="_compute_can_adjust",
        help="The current user may change this target: a KPI manager, or the leader of the team of its parent line.",
    )
    can_allocate = fields.Boolean(
        compute="_compute_can_adjust",
        help="The current user may split this target below: a KPI manager, or a leader of its team.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.model
    def _period_label_of(self, period_type, date_from):
        """The label of a period: 2025, 2025-Q1, 2025-01 (the compute and the
        set-based allocation share it)."""
        if not date_from:
            return None
        if period_type == "year":
            return f"{date_from.year}"
        if period_type == "quarter":
            return f"{date_from.year}-Q{(date_from.month - 1) // 3 + 1}"
        return f"{date_from.year}-{date_from.month:02d}"

    @api.model
    def _split_kind_of(self, parent_period_type, period_type):
        """A child of the same period is split between owners, one of a shorter
        period over the calendar; no parent, no split."""
        if not parent_period_type:
            return None
        return "owner" if parent_period_type == period_type else "period"

    @api.depends("period_type", "date_from")
    def _compute_period_label(self):
        for line in self:
            line.period_label = self._period_label_of(line.period_type, line.date_from) or False

    @api.depends("period_type", "parent_id.period_type")
    def _compute_split_kind(self):
        for line in self:
            line.split_kind = self._split_kind_of(line.parent_id.period_type, line.period_type) or False

    @api.depends("team_id", "parent_id.team_id")
    @api.depends_context("uid")
    def _compute_can_adjust(self):
        if self.env.su or self.env.user.has_group("sales_kpi.group_sales_kpi_manager"):
            self.can_adjust = self.can_allocate = True
            return
        led = set(self.env.user._sales_get_hierarchy_subtree_ids())
        # read as superuser: the rights are decided on lines the user may not read
        # (their own team's parent line, or a line of another team they try to write)
        for line, line_sudo in zip(self, self.sudo(), strict=True):
            line.can_allocate = line_sudo.team_id.id in led
            line.can_adjust = line_sudo.parent_id.team_id.id in led

    @api.depends("target", "prior_value")
    def _compute_growth(self):
        for line in self:
            line.growth = (line.target / line.prior_value - 1.0) * 100.0 if line.prior_value else 0.0

    @api.depends("owner_type", "team_id", "user_id", "period_label")
    def _compute_display_name(self):
        for line in self:
            if line.owner_type == "user":
                owner = f"{line.user_id.name} ({line.team_id.display_name})"
            elif line.owner_type == "team":
                owner = line.team_id.display_name
            else:
                owner = line.company_id.name
            line.display_name = f"{owner or '?'} {line.period_label or ''}".strip()

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("target", "proposed_target")
    def _check_target(self):
        for line in self:
            if line.target < 0 or line.proposed_target < 0:
                raise ValidationError(self.env._("%(line)s: a target must not be negative.", line=line.display_name))
        if self.env.cr.cache.get(ALLOCATING_KEY):
            return
        self._raise_sum_errors()

    def _raise_sum_errors(self, parent_ids=None):
        errors = self._get_sum_errors(exact=False, parent_ids=parent_ids)
        if errors:
            raise ValidationError(
                self.env._(
                    "The targets of the children exceed their parent:\n%(errors)s",
                    errors="\n".join(f"- {error}" for error in errors),
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        Plan = self.env["sales.kpi.target.plan"]
        for vals in vals_list:
            Plan._check_numeric(vals, "target", self)
            Plan._check_numeric(vals, "proposed_target", self)
        self._sales_check_input(vals_list)  # before the plans are read below
        plans = Plan.browse([vals["plan_id"] for vals in vals_list if vals.get("plan_id")])
        plans._check_editable()
        return super().create(vals_list)

    def write(self, vals):
        Plan = self.env["sales.kpi.target.plan"]
        Plan._check_numeric(vals, "target", self)
        Plan._check_numeric(vals, "proposed_target", self)
        self._sales_check_input([vals])
        manager = self.env.su or self.env.user.has_group("sales_kpi.group_sales_kpi_manager")
        if not manager:
            changed = set(vals) - PROPOSAL_FIELDS
            if changed - LEADER_FIELDS:
                raise UserError(
                    self.env._("Only KPI managers change the plan, owners and periods of targets; members propose.")
                )
            if changed and not all(line.can_adjust for line in self):
                raise UserError(
                    self.env._(
                        "Only KPI managers, and the leaders of the team a target is split from, change targets;"
                        " members may only propose one."
                    )
                )
        self.plan_id._check_editable()
        if set(vals) & PROPOSAL_FIELDS and not manager and any(line.user_id != self.env.user for line in self):
            raise UserError(self.env._("You can only propose targets for your own lines."))
        if "target" not in vals or self.env.cr.cache.get(ALLOCATING_KEY):
            return super().write(vals)
        parents = self.filtered("child_ids")
        if not parents:
            return super().write(vals)
        # A target changed by hand is split again below it with the plan's
        # methods (children of a manual method keep their values); then every
        # sum around and below it is checked at once.
        with self._allocating():
            res = super().write(vals)
        # the split below each parent, then every sum around and below it
        parents._cascade()
        (self - parents)._check_target()
        return res

    @contextmanager
    def _allocating(self):
        """Within this block, the targets written are a split being made: the
        sums of the children are checked once it is all written (by the
        caller: ``_cascade`` ends with ``_check_target``). A cursor flag, not a
        context key: a client could send a context key."""
        cache = self.env.cr.cache
        previous = cache.get(ALLOCATING_KEY)
        cache[ALLOCATING_KEY] = True
        try:
            yield
        finally:
            cache[ALLOCATING_KEY] = previous

    def _check_allocate_access(self):
        """Refuse splitting targets of teams the user does not lead (KPI
        managers split any)."""
        if not all(line.can_allocate for line in self):
            raise UserError(
                self.env._("Only KPI managers, and the leaders of a target's team, split it between its children.")
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        self.plan_id._check_editable()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_allocate_children(self):
        """Re-split each of these lines' descendants from its current target,
        with the plan's methods (manual children keep their values)."""
        self._check_allocate_access()
        self.plan_id._check_editable()
        self._cascade()
        return True

    def action_apply_proposals(self):
        """Leader adjustment: split each line's target between its
        organisation children in proportion to their proposals (or current
        targets where there is none), then cascade below."""
        self._check_allocate_access()
        self.plan_id._check_editable()
        updates = {}
        kids_done = self.browse()
        for line in self:
            kids = line.child_ids.filtered(lambda c: c.split_kind == "owner")
            if not kids:
                continue
            factor = line.plan_id._unit_factor()
            weights = [kid.proposed_target or kid.target for kid in kids]
            parts, fallback = split_units(round(line.target * factor), weights)
            for kid, part in zip(kids, parts, strict=True):
                updates[kid.id] = (part / factor, "proposal" if kid.proposed_target else kid.method, fallback)
            kids_done |= kids
        kids_done._write_split(updates)
        kids_done._cascade()
        return True

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _cascade(self):
        """Split every line of ``self`` into its children (both kinds) and on
        down, keeping manual children as entered: the subtree read in one
        query, split in memory with the allocation's rule (``split_target``),
        written in one statement, its sums checked in one query. The query
        count does not grow with the number of lines."""
        if not self:
            return
        self.flush_model()
        names = ["id", "parent_id", "plan_id", "split_kind", "target", "method", "fallback", "prior_value"]
        names += ["date_from"]
        # every line below (also those the record rules hide: the rights to
        # write them are checked on the whole set written), in the model's
        # order, which is the siblings' order of child_ids
        query = self.sudo()._search([("id", "child_of", self.ids)], order=self._order)
        self.env.cr.execute(query.select(*(self._field_to_sql(self._table, name, query) for name in names)))
        rows = [dict(zip(names, values, strict=True)) for values in self.env.cr.fetchall()]
        by_id = {row["id"]: row for row in rows}
        children = defaultdict(list)
        for row in rows:  # in the model's order: the siblings' order of child_ids
            if row["parent_id"] in by_id:
                children[row["parent_id"]].append(row)
        plans = self.env["sales.kpi.target.plan"].sudo().browse({row["plan_id"] for row in rows})
        profiles = plans._seasonality_profiles()
        # what each plan splits by: unit factor, additivity, methods per kind
        rules = {
            plan.id: (
                plan._unit_factor(),
                plan.kpi_id._is_additive(),
                {"owner": plan.owner_method, "period": plan.period_method},
            )
            for plan in plans
        }
        updates = {}
        todo = list(self.ids)
        while todo:
            next_todo = []
            for line_id in todo:
                line = by_id[line_id]
                factor, additive, methods = rules[line["plan_id"]]
                target = updates.get(line_id, (line["target"],))[0]
                for kind in ("owner", "period"):
                    kids = [kid for kid in children[line_id] if kid["split_kind"] == kind]
                    if not kids:
                        continue
                    method = methods[kind]
                    if method == "prior_year":
                        weights = [kid["prior_value"] for kid in kids]
                    elif method == "seasonality":
                        weights = [profiles[line["plan_id"]].get(kid["date_from"], 0.0) for kid in kids]
                    else:
                        weights = [1.0] * len(kids)
                    parts, kid_method, fallback = split_target(round(target * factor), method, weights, additive)
                    if parts is not None:
                        for kid, part in zip(kids, parts, strict=True):
                            updates[kid["id"]] = (part / factor, kid_method, fallback)
                    next_todo.extend(kid["id"] for kid in kids)
            todo = next_todo
        changed = {
            line_id: value
            for line_id, value in updates.items()
            if (by_id[line_id]["target"], by_id[line_id]["method"], bool(by_id[line_id]["fallback"])) != value
        }
        self.browse(changed)._write_split(changed)
        # splits of non-negative parents are never negative: the sums only
        roots = {by_id[line_id]["parent_id"] for line_id in self.ids} - {None, False}
        self._raise_sum_errors(parent_ids=list(by_id) + list(roots))

    def _write_split(self, updates):
        """Write ``{line id: (target, method, fallback)}`` of a split being made in one
        statement, with the current user's rights on every line written; the
        caller checks the sums. No per-line ``write``: a re-split of a market
        writes thousands of lines."""
        if not updates:
            return
        self.check_access("write")
        self.flush_model(["target", "method", "fallback"])
        ids = list(updates)
        self.env.cr.execute(
            SQL(
                """
                UPDATE sales_kpi_target_line l
                   SET target = v.target, method = v.method, fallback = v.fallback,
                       write_uid = %(uid)s, write_date = %(now)s
                  FROM unnest(%(ids)s::int[], %(targets)s::float8[], %(methods)s::varchar[], %(fallbacks)s::bool[])
                       AS v(id, target, method, fallback)
                 WHERE l.id = v.id
                """,
                uid=self.env.uid,
                now=self.env.cr.now(),
                ids=ids,
                targets=[updates[line_id][0] for line_id in ids],
                methods=[updates[line_id][1] for line_id in ids],
                fallbacks=[updates[line_id][2] for line_id in ids],
            )
        )
        lines = self.browse(ids)
        lines.invalidate_recordset(["target", "method", "fallback", "write_uid", "write_date"])
        lines.modified(["target", "method", "fallback"])

    def _get_sum_errors(self, exact, parent_ids=None):
        """Parents whose children (organisation or calendar) do not add up:
        more than the parent always fails; with ``exact``, less fails too.
        Ratio KPIs (percent, score) are not additive and are not checked.
        The parents are ``parent_ids`` (default: these lines and their
        parents); one query whatever their number, the lines themselves read
        only when a sum fails."""
        if parent_ids is None:
            parent_ids = self.ids + self.parent_id.ids
        if not parent_ids:
            return []
        self.flush_model(["target", "parent_id", "split_kind"])
        self.env.cr.execute(
            """
            SELECT p.id, p.plan_id, c.split_kind, SUM(c.target), p.target
              FROM sales_kpi_target_line c
              JOIN sales_kpi_target_line p ON p.id = c.parent_id
             WHERE c.parent_id = ANY(%s)
             GROUP BY p.id, p.plan_id, c.split_kind, p.target
             ORDER BY p.id, c.split_kind
            """,
            [list(set(parent_ids))],
        )
        rows = self.env.cr.fetchall()
        plans = self.env["sales.kpi.target.plan"].sudo().browse({row[1] for row in rows})
        digits = {
            plan.id: plan.currency_id.decimal_places if plan.kpi_id.unit == "amount" else 4
            for plan in plans
            if plan.kpi_id._is_additive()
        }
        kinds = dict(self._fields["split_kind"]._description_selection(self.env))
        errors = []
        for parent_id, plan_id, kind, total, target in rows:
            if plan_id not in digits:
                continue
            compare = float_compare(total, target, precision_digits=digits[plan_id])
            if compare > 0 or (exact and compare < 0):
                errors.append(
                    self.env._(
                        "%(line)s: its %(kind)s targets sum to %(total)s instead of %(target)s.",
                        line=self.browse(parent_id).sudo().display_name,
                        kind=kinds[kind].lower(),
                        total=round(total, digits[plan_id]),
                        target=round(target, digits[plan_id]),
                    )
                )
        return errors

    @api.model
    def _get_targets(self, kpi, owner_type, owner_ids, periods):
        """``{(owner id, period key): target}`` from the month lines of the
        KPI's published or locked plans (one query)."""
        owner = SQL("l.user_id") if owner_type == "user" else SQL("l.team_id")
        aggregate = SQL("SUM(l.target)") if kpi._is_additive() else SQL("AVG(l.target)")
        self.env.cr.execute(
            SQL(
                """
                SELECT %(owner)s, p.pkey, %(aggregate)s
                  FROM sales_kpi_target_line l
                  JOIN sales_kpi_target_plan pl ON pl.id = l.plan_id
                  JOIN %(periods)s ON l.date_from BETWEEN p.dfrom AND p.dto
                 WHERE pl.kpi_id = %(kpi)s AND pl.state IN ('published', 'locked')
                   AND l.period_type = 'month' AND l.owner_type = %(owner_type)s
                   AND %(owner)s = ANY(%(owner_ids)s)
                 GROUP BY 1, 2
                """,
                owner=owner,
                aggregate=aggregate,
                periods=kpi._periods_sql(periods),
                kpi=kpi.id,
                owner_type=owner_type,
                owner_ids=owner_ids,
            )
        )
        return {(owner_id, key): float(value or 0.0) for owner_id, key, value in self.env.cr.fetchall()}
