# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging
import math
from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, formatLang

_logger = logging.getLogger(__name__)

OWNER_METHODS = [("equal", "Equal"), ("prior_year", "Prior-year Share"), ("manual", "Manual")]
PERIOD_METHODS = [
    ("equal", "Equal"),
    ("prior_year", "Prior-year Share"),
    ("seasonality", "Seasonality"),
    ("manual", "Manual"),
]
# Business fields frozen once a plan leaves draft.
PLAN_FIELDS = {
    "name",
    "kpi_id",
    "fiscal_year",
    "root_value",
    "root_team_id",
    "owner_method",
    "period_method",
    "include_members",
    "company_id",
    "line_ids",
    "year_line_ids",
}
STATE_TRANSITIONS = {
    "draft": {"published"},
    "published": {"draft", "locked"},
    "locked": set(),
}
# SMART failures listed in the message of a refused publication; the Check
# button lists them all on the plan.
MAX_LISTED_ERRORS = 50


def split_units(total, weights):
    """Split the integer ``total`` in proportion to ``weights``; the rounding
    remainder goes to the largest share (the first one on ties), so the parts
    always sum exactly to ``total``. No weight (all zero) means equal parts.
    Returns ``(parts, fallback)``, ``fallback`` telling that equal parts were
    used because there was no history."""
    count = len(weights)
    if not count:
        return [], False
    weights = [max(float(w or 0.0), 0.0) for w in weights]
    fallback = sum(weights) <= 0
    if fallback:
        weights = [1.0] * count
    weight_sum = sum(weights)
    parts = [int(total * w // weight_sum) for w in weights]
    largest = max(range(count), key=lambda i: (weights[i], -i))
    parts[largest] += total - sum(parts)
    return parts, fallback


def split_target(units, method, weights, additive):
    """How a parent's ``units`` go to its ``len(weights)`` children with the
    split ``method``: ``(parts, method of the children, fallback)``. The one
    rule of the allocation and of every re-split below a line. A ratio KPI
    (not additive) copies the parent's value; ``parts`` is None for the manual
    method (the caller decides: zero at allocation, kept on a re-split)."""
    count = len(weights)
    if not additive:
        return [units] * count, "copy", False
    if method == "manual":
        return None, "manual", False
    parts, fallback = split_units(units, weights if method != "equal" else [1.0] * count)
    return parts, ("equal" if fallback else method), fallback and method != "equal"


class SalesKpiTargetPlan(models.Model):
    """The targets of one KPI for one fiscal year: a root value cascaded to
    teams, sub-teams and members, and from the year to quarters and months."""

    _name = "sales.kpi.target.plan"
    _description = "Sales Target Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "fiscal_year desc, id desc"
    _check_company_auto = True
    _sql_constraints = [
        (
            "published_uniq",
            "EXCLUDE (kpi_id WITH =, company_id WITH =, fiscal_year WITH =) WHERE (state IN ('published', 'locked'))",
            "Only one plan per KPI, company and fiscal year can be published or locked: their targets would add up.",
        ),
    ]

    name = fields.Char(required=True, tracking=True)
    kpi_id = fields.Many2one("sales.kpi", string="KPI", required=True, check_company=True, tracking=True)
    kpi_unit = fields.Selection(related="kpi_id.unit")
    fiscal_year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    root_team_id = fields.Many2one(
        "crm.team",
        string="Top Team",
        check_company=True,
        help="Team whose target is the root value. Empty: the whole company (its top-level teams).",
    )
    root_value = fields.Float(string="Root Target", required=True, tracking=True)
    owner_method = fields.Selection(
        OWNER_METHODS,
        string="Split between Teams and Members",
        required=True,
        default="prior_year",
    )
    period_method = fields.Selection(
        PERIOD_METHODS,
        string="Split over Quarters and Months",
        required=True,
        default="seasonality",
    )
    include_members = fields.Boolean(
        default=True, help="Cascade team targets to the members active during the fiscal year."
    )
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("locked", "Locked")],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
    )
    line_ids = fields.One2many("sales.kpi.target.line", "plan_id", string="Targets")
    year_line_ids = fields.One2many(
        "sales.kpi.target.line",
        "plan_id",
        string="Yearly Targets",
        domain=[("period_type", "=", "year")],
    )
    line_count = fields.Integer(compute="_compute_line_count")
    max_growth = fields.Float(related="company_id.kpi_max_growth", string="Maximum Growth (%)")
    smart_errors = fields.Text(
        string="SMART Check",
        readonly=True,
        copy=False,
        help="Result of the last check: every SMART failure of the plan.",
    )

    @api.depends("line_ids")
    def _compute_line_count(self):
        counts = dict(
            self.env["sales.kpi.target.line"]._read_group([("plan_id", "in", self.ids)], ["plan_id"], ["__count"])
        )
        for plan in self:
            plan.line_count = counts.get(plan, 0)

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------
    @api.constrains("root_value")
    def _check_root_value(self):
        for plan in self:
            if plan.root_value < 0:
                raise ValidationError(self.env._("The root target of %(plan)s must not be negative.", plan=plan.name))

    @api.constrains("fiscal_year")
    def _check_fiscal_year(self):
        for plan in self:
            if not 1900 < plan.fiscal_year < 3000:
                raise ValidationError(self.env._("The fiscal year %(year)s is not valid.", year=plan.fiscal_year))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_numeric(vals, "root_value")
        return super().create(vals_list)

    def write(self, vals):
        self._check_numeric(vals, "root_value")
        if PLAN_FIELDS & set(vals):
            for plan in self:
                if plan.state != "draft":
                    raise UserError(
                        self.env._(
                            "The plan %(plan)s is %(state)s: reset it to draft to change it.",
                            plan=plan.name,
                            state=dict(plan._fields["state"]._description_selection(self.env))[plan.state],
                        )
                    )
        if "state" in vals:
            if vals["state"] == "published":
                self.filtered(lambda plan: plan.state == "draft")._check_single_published()
            for plan in self:
                if vals["state"] != plan.state and vals["state"] not in STATE_TRANSITIONS[plan.state]:
                    raise UserError(
                        self.env._(
                            "The plan %(plan)s cannot go from %(old)s to %(new)s.",
                            plan=plan.name,
                            old=plan.state,
                            new=vals["state"],
                        )
                    )
                if vals["state"] == "published" and plan.state == "draft":
                    plan._raise_smart_errors()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only draft plans can be deleted (%(plan)s).", plan=plan.name))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_allocate(self):
        """(Re)build every line of the draft plan and cascade the root value."""
        for plan in self:
            plan._allocate()
            plan._message_log(
                body=self.env._(
                    "Allocated by %(user)s: %(root)s over %(owners)s owners (%(lines)s targets).",
                    user=self.env.user.name,
                    root=formatLang(self.env, plan.root_value),
                    owners=len(plan.year_line_ids),
                    lines=len(plan.line_ids),
                )
            )
        return True

    def action_check(self):
        """Run the SMART checks and store their result on the plan."""
        for plan in self:
            errors = plan._get_smart_errors()
            plan.smart_errors = plan._format_errors(errors, limit=None) if errors else self.env._("All checks passed.")
            plan._message_log(
                body=self.env._(
                    "Checked by %(user)s: %(result)s",
                    user=self.env.user.name,
                    result=self.env._("%(count)s problems found.", count=len(errors))
                    if errors
                    else self.env._("All checks passed."),
                )
            )
        return True

    def action_publish(self):
        self.write({"state": "published"})
        self._refresh_actuals()
        return True

    def action_refresh_actuals(self):
        """Recompute the actuals that Targets vs Actuals shows for KPIs not read
        straight from the facts (the cron does it after each refresh of the facts)."""
        self._refresh_actuals()
        return True

    def action_lock(self):
        self.write({"state": "locked"})
        return True

    def action_reset_draft(self):
        self.write({"state": "draft"})
        return True

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_kpi.action_sales_kpi_target_line")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Actuals of Targets vs Actuals
    # ------------------------------------------------------------------
    @api.model
    def _cron_refresh_actuals(self):
        """After a refresh of the facts: the actuals of every plan of a KPI not read
        straight from the facts."""
        sources = self.env["sales.kpi"]._get_kpi_sources()
        fact_sources = [code for code, source in sources.items() if source["fact_measure"]]
        self.sudo().search([("kpi_id.source", "not in", fact_sources)])._refresh_actuals()

    def _refresh_actuals(self):
        """Store the actual of each member and team month line of these plans whose KPI
        is not read straight from the facts (sales_kpi_target_actual, read by the
        Targets vs Actuals report): one computation of the KPI source per plan and
        kind of owner, whatever the number of lines. Computed as superuser: who reads
        which lines is the report's record rules' business. Company lines have no
        actual here (a ratio of the company is no sum of its teams)."""
        sources = self.env["sales.kpi"]._get_kpi_sources()
        plans = self.sudo().filtered(lambda p: not sources.get(p.kpi_id.source, {}).get("fact_measure"))
        if not plans:
            return
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("DELETE FROM sales_kpi_target_actual WHERE plan_id = ANY(%s)", [plans.ids])
        for plan in plans:
            kpi = plan.kpi_id
            lines = (
                self.env["sales.kpi.target.line"]
                .sudo()
                .search_read(
                    [("plan_id", "=", plan.id), ("period_type", "=", "month"), ("owner_type", "in", ("team", "user"))],
                    ["owner_type", "team_id", "user_id", "date_from"],
                    load=None,
                )
            )
            if not lines:
                continue
            months = sorted({line["date_from"] for line in lines})
            periods = kpi._parse_periods([f"{month:%Y-%m}" for month in months])
            handler = kpi._get_source_handler(kpi.source)
            values = {}
            for owner_type, field in (("team", "team_id"), ("user", "user_id")):
                owner_ids = sorted({line[field] for line in lines if line["owner_type"] == owner_type and line[field]})
                if owner_ids:
                    raw = handler(kpi, owner_type, owner_ids, periods)
                    values.update({(owner_type, owner, key): value for (owner, key), value in raw.items()})
            digits = kpi._value_digits()
            rows = []
            for line in lines:
                owner = line["team_id"] if line["owner_type"] == "team" else line["user_id"]
                value = values.get((line["owner_type"], owner, f"{line['date_from']:%Y-%m}")) or 0.0
                rows.append((line["id"], plan.id, round(float(value), digits)))
            cr.execute(
                SQL(
                    "INSERT INTO sales_kpi_target_actual (line_id, plan_id, actual)"
                    " SELECT * FROM unnest(%s::int[], %s::int[], %s::numeric[])",
                    [row[0] for row in rows],
                    [row[1] for row in rows],
                    [row[2] for row in rows],
                )
            )
        _logger.info("sales_kpi: actuals of %d plan(s) refreshed", len(plans))

    # ------------------------------------------------------------------
    # Allocation
    # ------------------------------------------------------------------
    @api.model
    def _check_numeric(self, vals, field_name, model=None):
        """Refuse a value of ``field_name`` (a field of ``model``, default: the
        plan) in ``vals`` that is not a finite number (text, booleans, NaN,
        infinities, integers beyond floats)."""
        if field_name in vals:
            value = vals[field_name]
            valid = not isinstance(value, bool) and isinstance(value, int | float)
            if valid:
                try:
                    valid = math.isfinite(value)
                except OverflowError:
                    valid = False
            if not valid:
                model = self if model is None else model
                raise ValidationError(
                    self.env._(
                        "The target must be a number, not %(value)r (%(field)s).",
                        value=value,
                        field=model._sales_input_label(model._fields[field_name]),
                    )
                )

    def _check_single_published(self):
        """Refuse to publish plans of ``self`` when another plan of the same
        KPI, company and fiscal year is published or locked, or is published
        with them: the targets of both would add up (one query)."""
        if not self:
            return
        # all plans, also those the record rules hide from the current user
        others = self.sudo().search(
            [
                ("id", "not in", self.ids),
                ("state", "in", ("published", "locked")),
                ("kpi_id", "in", self.kpi_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("fiscal_year", "in", list(set(self.mapped("fiscal_year")))),
            ]
        )
        publishing = self.sudo()
        groups = defaultdict(lambda: others.browse())
        for plan in others | publishing:
            groups[(plan.kpi_id, plan.company_id, plan.fiscal_year)] |= plan
        for (kpi, company, year), plans in groups.items():
            if len(plans) > 1 and plans & publishing:
                raise UserError(
                    self.env._(
                        "Only one plan per KPI, company and fiscal year can be published: the targets of"
                        " %(plans)s (KPI %(kpi)s, %(company)s, %(year)s) would add up.",
                        plans=", ".join(plans.sorted("name").mapped("name")),
                        kpi=kpi.display_name,
                        company=company.name,
                        year=year,
                    )
                )

    def _unit_factor(self):
        """Targets are split in integers of this fraction: the currency's
        smallest unit for amounts, whole units for counts and quantities."""
        self.ensure_one()
        if self.kpi_id.unit == "amount":
            return round(1.0 / self.currency_id.rounding)
        return 1

    def _period_tree(self):
        """``[(period_type, date_from, date_to, parent index)]`` of the year."""
        self.ensure_one()
        year = self.fiscal_year
        periods = [("year", date(year, 1, 1), date(year, 12, 31), None)]
        for quarter in range(4):
            q_from = date(year, 3 * quarter + 1, 1)
            periods.append(("quarter", q_from, q_from + relativedelta(months=3, days=-1), 0))
            q_index = len(periods) - 1
            for month in range(3):
                m_from = q_from + relativedelta(months=month)
                periods.append(("month", m_from, m_from + relativedelta(months=1, days=-1), q_index))
        return periods

    def _owner_tree(self):
        """Nodes of the organisation under the plan's root: ``[{owner_type,
        team_id, user_id, member_id, parent index}]`` with the root first."""
        self.ensure_one()
        Team = self.env["crm.team"].with_context(active_test=True)
        if self.root_team_id:
            teams = Team.search([("id", "child_of", self.root_team_id.id)])
            nodes = [{"owner_type": "team", "team_id": self.root_team_id.id, "parent": None}]
        else:
            tops = Team.search([("company_id", "in", [self.company_id.id, False]), ("parent_id", "=", False)])
            teams = Team.search([("id", "child_of", tops.ids)]) if tops else tops
            nodes = [{"owner_type": "company", "parent": None}]
        team_index = {}
        if self.root_team_id:
            team_index[self.root_team_id.id] = 0
        # parents before children: sort by depth
        for team in teams.sorted(lambda t: (t.parent_path.count("/"), t.sequence, t.id)):
            if team.id in team_index:
                continue
            parent = team_index.get(team.parent_id.id, 0 if not self.root_team_id else None)
            if parent is None:
                continue
            team_index[team.id] = len(nodes)
            nodes.append({"owner_type": "team", "team_id": team.id, "parent": parent})
        if self.include_members:
            year_start = date(self.fiscal_year, 1, 1)
            year_end = date(self.fiscal_year, 12, 31)
            Member = self.env["crm.team.member"]
            members = Member.search(
                [("crm_team_id", "in", list(team_index)), ("user_id", "!=", False)]
                + Member._sales_period_domain(year_start, year_end),
                order="crm_team_id, id",
            )
            for member in members:
                nodes.append(
                    {
                        "owner_type": "user",
                        "team_id": member.crm_team_id.id,
                        "user_id": member.user_id.id,
                        "member_id": member.id,
                        "parent": team_index[member.crm_team_id.id],
                    }
                )
        return nodes

    def _prior_values(self, nodes, periods):
        """Last year's actual of the plan's KPI for every node and period:
        ``{(node index, period index): value}`` (two KPI computations)."""
        self.ensure_one()
        kpi = self.kpi_id
        keyed = [[str(d) for d in kpi._shift_period(d_from, d_to)] for _t, d_from, d_to, _p in periods]
        parsed = kpi._parse_periods(keyed)
        team_ids = sorted({n["team_id"] for n in nodes if n["owner_type"] == "team"})
        user_ids = sorted({n["user_id"] for n in nodes if n["owner_type"] == "user"})
        handler = kpi._get_source_handler(kpi.source)
        kpi.env.flush_all()
        team_values = handler(kpi, "team", team_ids, parsed) if team_ids else {}
        user_values = handler(kpi, "user", user_ids, parsed) if user_ids else {}
        result = {}
        top_teams = [i for i, n in enumerate(nodes) if n["parent"] == 0 and n["owner_type"] == "team"]
        for index, node in enumerate(nodes):
            for p_index, (key, _f, _t) in enumerate(parsed):
                if node["owner_type"] == "team":
                    value = team_values.get((node["team_id"], key), 0.0)
                elif node["owner_type"] == "user":
                    value = user_values.get((node["user_id"], key), 0.0)
                else:
                    value = sum(team_values.get((nodes[i]["team_id"], key), 0.0) for i in top_teams)
                result[(index, p_index)] = float(value or 0.0)
        return result

    def _allocate(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Only a draft plan can be allocated (%(plan)s).", plan=self.name))
        if self.root_value <= 0:
            raise UserError(self.env._("Set a root target above zero before allocating %(plan)s.", plan=self.name))
        _logger.info("sales_kpi: allocating plan %s (id %s)", self.name, self.id)
        self._delete_lines()
        nodes = self._owner_tree()
        periods = self._period_tree()
        prior = self._prior_values(nodes, periods)
        factor = self._unit_factor()
        additive = self.kpi_id._is_additive()
        # targets[(node, period)] in units, method and fallback flags
        alloc = {
            "targets": {(0, 0): round(self.root_value * factor)},
            "methods": {(0, 0): "manual"},
            "fallbacks": set(),
        }
        children = defaultdict(list)
        for index, node in enumerate(nodes):
            if node["parent"] is not None:
                children[node["parent"]].append(index)
        period_children = defaultdict(list)
        for p_index, period in enumerate(periods):
            if period[3] is not None:
                period_children[period[3]].append(p_index)
        # 1. the year down the organisation
        for index in range(len(nodes)):
            kids = children[index]
            if kids:
                weights = [prior[(kid, 0)] for kid in kids]
                self._split_into(alloc, (index, 0), [(kid, 0) for kid in kids], self.owner_method, weights, additive)
        # 2. each owner's year down to quarters and months
        for index in range(len(nodes)):
            for p_index in range(len(periods)):
                kids = period_children[p_index]
                if not kids:
                    continue
                if self.period_method == "seasonality":
                    weights = [prior[(0, kid)] for kid in kids]
                else:
                    weights = [prior[(index, kid)] for kid in kids]
                self._split_into(
                    alloc, (index, p_index), [(index, kid) for kid in kids], self.period_method, weights, additive
                )
        line_count = self._create_allocation_lines(nodes, periods, alloc, prior, factor)
        self.smart_errors = False
        self._refresh_actuals()
        _logger.info("sales_kpi: plan %s allocated, %d lines", self.name, line_count)

    @api.model
    def _split_into(self, alloc, parent, kids, method, weights, additive):
        """Split the units of ``parent`` between ``kids`` (keys of ``alloc``)."""
        parts, kid_method, fallback = split_target(alloc["targets"][parent], method, weights, additive)
        for kid, part in zip(kids, parts or [0] * len(kids), strict=True):
            alloc["targets"][kid] = part
            alloc["methods"][kid] = kid_method
            if fallback:
                alloc["fallbacks"].add(kid)

    def _delete_lines(self):
        """Delete the lines of these draft plans in one statement (the ORM
        deletes in batches of a thousand): the lines have nothing of the ORM's
        to clean (no attachments, messages or external ids); what refers to
        them goes with them by its foreign key."""
        lines = self.line_ids
        if not lines:
            return
        lines.check_access("unlink")
        lines._unlink_if_draft()
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM sales_kpi_target_line WHERE plan_id = ANY(%s)", [self.ids])
        self.env["sales.kpi.target.line"].invalidate_model()
        self.invalidate_recordset(["line_ids", "year_line_ids", "line_count"])

    def _seasonality_profiles(self):
        """``{plan id: {date_from: last year's value}}`` of each plan's root
        owner (the company or the top team): the seasonality every owner's
        year is split by (one query for all plans)."""
        profiles = {plan.id: {} for plan in self}
        if not self:
            return profiles
        self.env["sales.kpi.target.line"].flush_model()
        self.env.cr.execute(
            """
            SELECT l.plan_id, l.date_from, l.prior_value
              FROM sales_kpi_target_line l
              JOIN sales_kpi_target_line r ON r.plan_id = l.plan_id AND r.parent_id IS NULL
             WHERE l.plan_id = ANY(%s) AND l.owner_type = r.owner_type
               AND l.team_id IS NOT DISTINCT FROM r.team_id AND l.user_id IS NOT DISTINCT FROM r.user_id
            """,
            [self.ids],
        )
        for plan_id, date_from, prior_value in self.env.cr.fetchall():
            profiles[plan_id][date_from] = prior_value or 0.0
        return profiles

    def _create_allocation_lines(self, nodes, periods, alloc, prior, factor):
        """Insert the lines of the allocation, set-based: their ids drawn at once,
        every stored field (the computed ones and the parent path included)
        built here with the helpers the computes use, then one ``INSERT`` of
        all rows. The ORM would create them one by one and rewrite four
        computed columns of each in batches of 100 ``UPDATE`` statements,
        which PostgreSQL plans badly on a table grown in the same transaction
        (issue 21: 34,425 lines took minutes). The splits are exact by
        construction (``split_units``); the teams are the plan's company's."""
        Line = self.env["sales.kpi.target.line"]
        Line.check_access("create")
        cr = self.env.cr
        keys = [(index, p_index) for index in range(len(nodes)) for p_index in range(len(periods))]
        cr.execute(
            "SELECT nextval(pg_get_serial_sequence('sales_kpi_target_line', 'id')) FROM generate_series(1, %s)",
            [len(keys)],
        )
        line_ids = dict(zip(keys, (row[0] for row in cr.fetchall()), strict=True))
        paths = {}

        def parent_key(index, p_index):
            if p_index:
                return (index, periods[p_index][3])
            parent = nodes[index]["parent"]
            return (parent, 0) if parent is not None else None

        def path(key):
            # parents come first in ``keys`` order: owners by index, periods by index
            if key not in paths:
                up = parent_key(*key)
                paths[key] = f"{path(up) if up else ''}{line_ids[key]}/"
            return paths[key]

        columns = defaultdict(list)
        plan_id, company_id, kpi_id = self.id, self.company_id.id, self.kpi_id.id
        for key in keys:
            index, p_index = key
            node = nodes[index]
            period_type, date_from, date_to, _p_parent = periods[p_index]
            up = parent_key(index, p_index)
            row = {
                "id": line_ids[key],
                "plan_id": plan_id,
                "parent_id": line_ids[up] if up else None,
                "parent_path": path(key),
                "sequence": index,
                "company_id": company_id,
                "kpi_id": kpi_id,
                "owner_type": node["owner_type"],
                "team_id": node.get("team_id") or None,
                "user_id": node.get("user_id") or None,
                "member_id": node.get("member_id") or None,
                "period_type": period_type,
                "date_from": date_from,
                "date_to": date_to,
                "period_label": Line._period_label_of(period_type, date_from),
                "split_kind": Line._split_kind_of(periods[up[1]][0] if up else None, period_type),
                "target": alloc["targets"][key] / factor,
                "method": alloc["methods"][key],
                "fallback": key in alloc["fallbacks"],
                "prior_value": prior[key],
            }
            for name, value in row.items():
                columns[name].append(value)
        now = cr.now()
        names = list(columns)
        cr.execute(
            SQL(
                "INSERT INTO sales_kpi_target_line (%(names)s, create_uid, create_date, write_uid, write_date)"
                " SELECT *, %(uid)s, %(now)s, %(uid)s, %(now)s FROM unnest(%(arrays)s)",
                names=SQL(", ").join(SQL.identifier(name) for name in names),
                uid=self.env.uid,
                now=now,
                arrays=SQL(", ").join(
                    SQL("%s::%s[]", columns[name], SQL(Line._fields[name].column_type[1])) for name in names
                ),
            )
        )
        Line.invalidate_model()
        self.invalidate_recordset(["line_ids", "year_line_ids", "line_count"])
        return len(keys)

    # ------------------------------------------------------------------
    # SMART checks
    # ------------------------------------------------------------------
    def _get_smart_errors(self):
        """Every SMART failure of the plan, one sentence each."""
        self.ensure_one()
        errors = []
        if not self.kpi_id:
            errors.append(self.env._("The plan has no KPI."))
        lines = self.line_ids
        if not lines:
            errors.append(self.env._("The plan has no target lines: allocate it first."))
            return errors
        max_growth = self.company_id.kpi_max_growth
        roles = self.kpi_id.role_ids
        for line in lines:
            label = line.display_name
            if line.owner_type == "team" and not line.team_id or line.owner_type == "user" and not line.user_id:
                errors.append(self.env._("%(line)s: the owner is not set.", line=label))
            if line.target <= 0:
                errors.append(self.env._("%(line)s: the target must be above zero.", line=label))
            if not line.date_to or line.date_from and line.date_to < line.date_from:
                errors.append(self.env._("%(line)s: the period has no valid end date.", line=label))
            if (
                line.prior_value > 0
                and line.target > 0
                and (line.target / line.prior_value - 1.0) * 100.0 > max_growth
                and not (line.justification or "").strip()
            ):
                errors.append(
                    self.env._(
                        "%(line)s: growth of %(growth).1f%% over last year is above %(max).1f%%"
                        " and needs a written justification.",
                        line=label,
                        growth=(line.target / line.prior_value - 1.0) * 100.0,
                        max=max_growth,
                    )
                )
            if (
                line.owner_type == "user"
                and line.split_kind != "period"
                and roles
                and line.member_id.role_id not in roles
            ):
                errors.append(
                    self.env._(
                        "%(line)s: the KPI %(kpi)s is not enabled for the role %(role)s.",
                        line=label,
                        kpi=self.kpi_id.display_name,
                        role=line.member_id.role_id.display_name or self.env._("(no role)"),
                    )
                )
        errors.extend(lines._get_sum_errors(exact=True))
        return errors

    def _format_errors(self, errors, limit=MAX_LISTED_ERRORS):
        """The errors as a list, the first ``limit`` of them (all if None)."""
        listed = errors if limit is None else errors[:limit]
        text = "\n".join(f"- {error}" for error in listed)
        if len(errors) > len(listed):
            text += "\n" + self.env._(
                "... and %(count)s more: use Check to list them all.", count=len(errors) - len(listed)
            )
        return text

    def _raise_smart_errors(self):
        self.ensure_one()
        errors = self._get_smart_errors()
        if errors:
            raise ValidationError(
                self.env._(
                    "The plan %(plan)s cannot be published, %(count)s SMART check(s) failed:\n%(errors)s",
                    plan=self.name,
                    count=len(errors),
                    errors=self._format_errors(errors),
                )
            )

    def _check_editable(self):
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._(
                        "The plan %(plan)s is not in draft: its targets cannot change.",
                        plan=plan.name,
                    )
                )
