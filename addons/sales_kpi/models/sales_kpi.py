# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re
from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval
from odoo.tools.sql import table_kind

# Sources whose value is a sum over months: targets of such KPIs split
# between children; the other (ratio) KPIs pass the parent target down.
ADDITIVE_UNITS = ("amount", "quantity", "count", "minutes")
PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2})))?$")


class SalesKpi(models.Model):
    """A key performance indicator: what is measured, in which unit, and
    whether higher or lower is better, plus where its actual value comes from
    (``source``). Values are computed for many (owner, period) pairs at once by
    :meth:`compute_values`."""

    _name = "sales.kpi"
    _description = "Sales KPI"
    _inherit = ["mail.thread"]
    _order = "sequence, code, id"
    _check_company_auto = True
    _sql_constraints = [
        ("code_company_uniq", "UNIQUE(code, company_id)", "A KPI code must be unique per company."),
    ]

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, tracking=True)
    name = fields.Char(required=True, translate=True, tracking=True)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    unit = fields.Selection(
        [
            ("amount", "Amount"),
            ("quantity", "Quantity"),
            ("count", "Count"),
            ("percent", "Percentage"),
            ("minutes", "Minutes"),
            ("score", "Score"),
        ],
        required=True,
        compute="_compute_unit",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Set by the source for the built-in sources. Amounts, quantities, counts and minutes add up: "
        "their targets are split between teams, members and months; percentages and scores are passed down.",
    )
    direction = fields.Selection(
        [("higher", "Higher is better"), ("lower", "Lower is better")],
        required=True,
        default="higher",
        tracking=True,
    )
    source = fields.Selection(
        selection="_selection_source",
        required=True,
        default="manual",
        tracking=True,
        help="Where the actual value comes from (the KPI source registry, see _get_kpi_sources). "
        "Manual: entered by the manager.",
    )
    base_kpi_id = fields.Many2one(
        "sales.kpi",
        string="Measured KPI",
        check_company=True,
        help="Plan completion and growth compare the value of this KPI with its target or with last year.",
    )
    role_ids = fields.Many2many(
        "sales.role",
        string="Roles",
        check_company=True,
        help="Roles this KPI applies to (SMART check of target plans). Empty: every role.",
    )
    custom_model_id = fields.Many2one("ir.model", string="Model", ondelete="cascade")
    custom_model = fields.Char(related="custom_model_id.model", string="Model Name")
    custom_domain = fields.Char(string="Domain", default="[]")
    custom_date_field_id = fields.Many2one(
        "ir.model.fields",
        string="Date Field",
        ondelete="cascade",
        domain="[('model_id', '=', custom_model_id), ('ttype', 'in', ('date', 'datetime')), ('store', '=', True)]",
    )
    custom_user_field_id = fields.Many2one(
        "ir.model.fields",
        string="User Field",
        ondelete="cascade",
        domain="[('model_id', '=', custom_model_id), ('ttype', '=', 'many2one'), ('relation', '=', 'res.users'),"
        " ('store', '=', True)]",
    )
    custom_team_field_id = fields.Many2one(
        "ir.model.fields",
        string="Team Field",
        ondelete="cascade",
        domain="[('model_id', '=', custom_model_id), ('ttype', '=', 'many2one'), ('relation', '=', 'crm.team'),"
        " ('store', '=', True)]",
        help="Needed to compute the KPI for teams (a team covers its sub-teams).",
    )
    custom_aggregate = fields.Selection(
        [("count", "Count"), ("sum", "Sum"), ("avg", "Average"), ("min", "Minimum"), ("max", "Maximum")],
        string="Aggregate",
        default="count",
    )
    custom_measure_field_id = fields.Many2one(
        "ir.model.fields",
        string="Measure Field",
        ondelete="cascade",
        domain="[('model_id', '=', custom_model_id), ('ttype', 'in', ('integer', 'float', 'monetary')),"
        " ('store', '=', True)]",
    )
    manual_value_ids = fields.One2many("sales.kpi.manual.value", "kpi_id", string="Manual Values")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("code", "name")
    def _compute_display_name(self):
        for kpi in self:
            kpi.display_name = f"[{kpi.code}] {kpi.name}" if kpi.code else kpi.name

    @api.depends("source")
    def _compute_unit(self):
        sources = self._get_kpi_sources()
        for kpi in self:
            kpi.unit = sources.get(kpi.source, {}).get("unit") or kpi.unit or "amount"

    @api.model
    def _selection_source(self):
        return [(code, source["label"]) for code, source in self._get_kpi_sources().items()]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("source", "unit")
    def _check_unit(self):
        units = dict(self._fields["unit"]._description_selection(self.env))
        sources = self._get_kpi_sources()
        for kpi in self:
            unit = sources.get(kpi.source, {}).get("unit")
            if unit and kpi.unit != unit:
                raise ValidationError(
                    self.env._(
                        "The KPI %(kpi)s measures %(measure)s: its unit is %(unit)s.",
                        kpi=kpi.display_name,
                        measure=sources[kpi.source]["label"],
                        unit=units[unit],
                    )
                )

    @api.constrains("code")
    def _check_code(self):
        for kpi in self:
            code = (kpi.code or "").strip()
            if not code or not code.replace("_", "").isalnum():
                raise ValidationError(
                    self.env._(
                        "The KPI code %(code)r may only contain letters, digits and underscores.",
                        code=kpi.code,
                    )
                )

    @api.constrains("source", "base_kpi_id")
    def _check_base_kpi(self):
        sources = self._get_kpi_sources()
        for kpi in self:
            if sources.get(kpi.source, {}).get("base_kpi"):
                if not kpi.base_kpi_id:
                    raise ValidationError(self.env._("The KPI %(kpi)s needs a measured KPI.", kpi=kpi.display_name))
                if sources.get(kpi.base_kpi_id.source, {}).get("base_kpi"):
                    raise ValidationError(
                        self.env._(
                            "The measured KPI of %(kpi)s cannot itself be a plan completion or growth KPI.",
                            kpi=kpi.display_name,
                        )
                    )

    @api.constrains(
        "source",
        "custom_model_id",
        "custom_domain",
        "custom_date_field_id",
        "custom_user_field_id",
        "custom_team_field_id",
        "custom_aggregate",
        "custom_measure_field_id",
    )
    def _check_custom_source(self):
        for kpi in self.filtered(lambda k: k.source == "custom"):
            errors = kpi._get_custom_source_errors()
            if errors:
                raise ValidationError(
                    self.env._(
                        "The custom source of KPI %(kpi)s is invalid:\n%(errors)s",
                        kpi=kpi.display_name,
                        errors="\n".join(f"- {error}" for error in errors),
                    )
                )

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------
    def compute_values(self, owner_type, owner_ids, periods):
        """Compute the KPIs of ``self`` for every (owner, period) pair.

        :param owner_type: ``"user"`` (salespeople, ``res.users`` ids) or
            ``"team"`` (``crm.team`` ids; a team covers its sub-teams).
        :param owner_ids: list of ids.
        :param periods: list of ``"YYYY"``, ``"YYYY-Qn"``, ``"YYYY-MM"`` or
            ``[date_from, date_to]`` (whole months).
        :return: list of dicts ``{kpi_id, code, owner_type, owner_id, period,
            date_from, date_to, value}``, one per KPI, owner and period.
        """
        matrix, parsed = self._compute_matrix(owner_type, owner_ids, periods)
        parsed = [(key, fields.Date.to_string(d_from), fields.Date.to_string(d_to)) for key, d_from, d_to in parsed]
        result = []
        for kpi in self:
            values = matrix[kpi.id]
            kpi_id, code = kpi.id, kpi.code
            result.extend(
                {
                    "kpi_id": kpi_id,
                    "code": code,
                    "owner_type": owner_type,
                    "owner_id": owner_id,
                    "period": key,
                    "date_from": date_from,
                    "date_to": date_to,
                    "value": values.get((owner_id, key), 0.0),
                }
                for owner_id in owner_ids
                for key, date_from, date_to in parsed
            )
        return result

    @api.model
    def compute_values_by_code(self, codes, owner_type, owner_ids, periods, company_id=None):
        """Same as :meth:`compute_values`, naming the KPIs by code (in the
        given company, default the current one). Unknown codes are refused."""
        if isinstance(codes, str):
            codes = [codes]
        company_id = company_id or self.env.company.id
        kpis = self.search([("code", "in", list(codes)), ("company_id", "=", company_id)])
        unknown = sorted(set(codes) - set(kpis.mapped("code")))
        if unknown:
            raise UserError(self.env._("Unknown KPI code(s): %(codes)s.", codes=", ".join(map(str, unknown))))
        order = {code: index for index, code in enumerate(codes)}
        return kpis.sorted(lambda k: order[k.code]).compute_values(owner_type, owner_ids, periods)

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    @api.model
    def _get_kpi_sources(self):
        """The KPI source registry: where each source is declared, once.

        ``{code: {"label", "unit", "handler", "fact_measure", "base_kpi"}}``, in the
        order of the source selection:

        - ``label``: translated name, shown in the selection;
        - ``unit``: the unit it imposes on its KPIs (``None``: the KPI's own, for
          custom and manual KPIs); amounts, quantities, counts and minutes add up
          (targets split between children), percentages and scores are passed down;
        - ``handler``: name of the method computing it, called as
          ``handler(kpi, owner_type, owner_ids, periods)`` (periods as parsed by
          :meth:`_parse_periods`) and returning ``{(owner_id, period key): value}``
          with a bounded number of queries, whatever the number of owners;
        - ``fact_measure``: the column of the monthly facts it sums, when it reads
          them straight (the Targets vs Actuals report reads those in SQL);
        - ``base_kpi``: it measures another KPI (plan completion, growth).

        An addon adds a source (visits, complaints, report scores, attendance) by
        overriding this method and adding its entry (``dict(super()..., code={...})``)
        and its handler; nothing of sales_kpi needs to change."""
        env = self.env
        entry = self._kpi_source
        fact = "_source_fact_measure"
        return {
            "sales": entry(env._("Confirmed Sales"), "amount", fact, fact_measure="amount_sale"),
            "invoiced": entry(env._("Invoiced Revenue"), "amount", fact, fact_measure="amount_invoiced"),
            "units": entry(env._("Units Sold"), "quantity", fact, fact_measure="qty_sale"),
            "orders": entry(env._("Order Count"), "count", fact, fact_measure="order_count"),
            "plan_completion": entry(env._("Plan Completion"), "percent", "_source_plan_completion", base_kpi=True),
            "growth": entry(env._("Growth vs Last Year"), "percent", "_source_growth", base_kpi=True),
            "price_maintenance": entry(env._("Price Maintenance"), "percent", "_source_price_maintenance"),
            "collection_rate": entry(env._("Collection Rate"), "percent", "_source_collection_rate"),
            "new_customers": entry(env._("New Customers"), "count", "_source_new_customers"),
            "lost_customers": entry(env._("Lost Customers"), "count", "_source_lost_customers"),
            "retention": entry(env._("Customer Retention"), "percent", "_source_retention"),
            "visits_done": entry(env._("Visits Done"), "count", "_source_visits"),
            "visit_success_rate": entry(env._("Visit Success Rate"), "percent", "_source_visits"),
            "calls": entry(env._("Phone Calls"), "count", "_source_visits"),
            "call_minutes": entry(env._("Call Minutes"), "minutes", "_source_visits"),
            "complaints": entry(env._("Complaints"), "count", "_source_complaints"),
            "complaints_service_attitude": entry(env._("Complaints: Service Attitude"), "count", "_source_complaints"),
            "complaints_improper_language": entry(
                env._("Complaints: Improper Language"), "count", "_source_complaints"
            ),
            "complaints_quality": entry(env._("Complaints: Product Quality"), "count", "_source_complaints"),
            "complaints_delivery": entry(env._("Complaints: Delivery"), "count", "_source_complaints"),
            "report_on_time_rate": entry(env._("Work Reports On Time"), "percent", "_source_work_reports"),
            "report_score_rate": entry(env._("Work Report Score Rate"), "percent", "_source_work_reports"),
            "expenses": entry(env._("Approved Expenses"), "amount", "_source_expenses"),
            "attendance_score": entry(env._("Attendance Score"), "score", "_source_attendance"),
            "late_count": entry(env._("Late Days"), "count", "_source_attendance"),
            "custom": entry(env._("Custom"), None, "_source_custom"),
            "manual": entry(env._("Manual"), None, "_source_manual"),
        }

    @api.model
    def _kpi_source(self, label, unit, handler, fact_measure=None, base_kpi=False):
        """One entry of :meth:`_get_kpi_sources`."""
        return {"label": label, "unit": unit, "handler": handler, "fact_measure": fact_measure, "base_kpi": base_kpi}

    @api.model
    def _get_source_handler(self, source):
        """The method computing ``source`` (see :meth:`_get_kpi_sources`), or None."""
        entry = self._get_kpi_sources().get(source)
        return getattr(self, entry["handler"]) if entry else None

    def _compute_matrix(self, owner_type, owner_ids, periods):
        if not self.env.user.has_group("sales_kpi.group_sales_kpi_user") and not self.env.su:
            raise AccessError(self.env._("Only users of Targets and KPIs can compute KPI values."))
        if owner_type not in ("user", "team"):
            raise UserError(self.env._("The owner type must be 'user' or 'team', not %(type)r.", type=owner_type))
        if not isinstance(owner_ids, list | tuple) or not all(isinstance(i, int) for i in owner_ids):
            raise UserError(self.env._("The owners must be a list of record ids."))
        self._check_owner_access(owner_type, owner_ids)
        parsed = self._parse_periods(periods)
        self.env.flush_all()
        matrix = {}
        for kpi in self:
            handler = self._get_source_handler(kpi.source)
            if handler is None:
                raise UserError(self.env._("The source of KPI %(kpi)s cannot be computed yet.", kpi=kpi.display_name))
            raw = handler(kpi, owner_type, list(owner_ids), parsed) if owner_ids and parsed else {}
            digits = kpi._value_digits()
            matrix[kpi.id] = {key: round(float(value or 0.0), digits) for key, value in raw.items()}
        return matrix, parsed

    @api.model
    def _check_owner_access(self, owner_type, owner_ids):
        """KPI managers and users of all data compute for anyone; other users for
        themselves, the teams they lead (team leader or SLT member in charge) with
        their sub-teams, and the members of those teams: the owners whose targets
        the record rules let them read. A member's value counts all their facts,
        also those booked under a team outside the subtree, which the fact rule
        does not show."""
        user = self.env.user
        if self.env.su or user.has_group("sales_kpi.group_sales_kpi_user_all"):
            return
        team_ids = user._sales_get_hierarchy_subtree_ids()
        if owner_type == "team":
            allowed = set(team_ids)
        else:
            members = self.env["crm.team.member"].sudo().search([("crm_team_id", "in", team_ids)])
            allowed = set(members.user_id.ids) | {user.id}
        if not set(owner_ids) <= allowed:
            raise AccessError(
                self.env._("You can only compute KPIs for yourself and for the teams you lead and their members.")
            )

    def _value_digits(self):
        """Decimals of the values: the currency's for amounts, 4 otherwise."""
        self.ensure_one()
        return self.currency_id.decimal_places if self.unit == "amount" else 4

    @api.model
    def _parse_periods(self, periods):
        """Normalise periods to ``[(key, date_from, date_to)]`` of whole months."""
        if not isinstance(periods, list | tuple) or not periods:
            raise UserError(self.env._("Give at least one period (e.g. '2026', '2026-Q1', '2026-03')."))
        parsed = []
        for period in periods:
            if isinstance(period, str):
                match = PERIOD_RE.match(period.strip())
                if not match:
                    raise UserError(
                        self.env._(
                            "Unknown period %(period)r: use 'YYYY', 'YYYY-Qn', 'YYYY-MM' or [date_from, date_to].",
                            period=period,
                        )
                    )
                year, quarter, month = match.groups()
                if quarter:
                    date_from = date(int(year), 3 * int(quarter) - 2, 1)
                    date_to = date_from + relativedelta(months=3, days=-1)
                elif month:
                    if not 1 <= int(month) <= 12:
                        raise UserError(self.env._("Unknown month in period %(period)r.", period=period))
                    date_from = date(int(year), int(month), 1)
                    date_to = date_from + relativedelta(months=1, days=-1)
                else:
                    date_from, date_to = date(int(year), 1, 1), date(int(year), 12, 31)
                parsed.append((period.strip(), date_from, date_to))
            elif isinstance(period, list | tuple) and len(period) == 2:
                try:
                    date_from, date_to = (fields.Date.to_date(d) for d in period)
                except (TypeError, ValueError) as error:
                    raise UserError(self.env._("Invalid period %(period)r.", period=period)) from error
                if (
                    not date_from
                    or not date_to
                    or date_from > date_to
                    or date_from.day != 1
                    or (date_to + relativedelta(days=1)).day != 1
                ):
                    raise UserError(
                        self.env._(
                            "The period %(period)r must start on the first day of a month and end on the"
                            " last day of a month.",
                            period=period,
                        )
                    )
                parsed.append((f"{date_from}..{date_to}", date_from, date_to))
            else:
                raise UserError(self.env._("Invalid period %(period)r.", period=period))
        return parsed

    # ------------------------------------------------------------------
    # SQL building blocks on the fact table
    # ------------------------------------------------------------------
    @api.model
    def _shift_period(self, date_from, date_to, years=1):
        """The same whole months ``years`` earlier (29 February safe)."""
        return (
            date_from - relativedelta(years=years),
            date_to + relativedelta(days=1) - relativedelta(years=years) - relativedelta(days=1),
        )

    @api.model
    def _periods_sql(self, periods, shift_years=0):
        rows = [
            SQL("(%s::text, %s::date, %s::date)", key, *self._shift_period(date_from, date_to, shift_years))
            for key, date_from, date_to in periods
        ]
        return SQL("(VALUES %s) AS p(pkey, dfrom, dto)", SQL(", ").join(rows))

    @api.model
    def _period_months_sql(self, periods, shift_years=0):
        """Periods expanded to one row per month: ``p(pkey, month)``, joined by
        equality (a hash join) rather than by range."""
        rows = []
        for key, date_from, date_to in periods:
            month, last = self._shift_period(date_from, date_to, shift_years)
            while month <= last:
                rows.append(SQL("(%s::text, %s::date)", key, month))
                month += relativedelta(months=1)
        return SQL("(VALUES %s) AS p(pkey, month)", SQL(", ").join(rows))

    @api.model
    def _owner_sql(self, owner_type, owner_ids, alias="f"):
        """(owner column, extra joins, condition) restricting facts of
        ``alias`` to the owners; a team owner covers its whole subtree."""
        table = SQL.identifier(alias)
        if owner_type == "user":
            return (
                SQL("%s.user_id", table),
                SQL(""),
                SQL("%s.user_id = ANY(%s)", table, owner_ids),
            )
        return (
            SQL("ot.id"),
            SQL(
                "JOIN crm_team ft ON ft.id = %s.team_id JOIN crm_team ot ON ot.id = ANY(%s) AND %s",
                table,
                owner_ids,
                self.env["crm.team"]._sales_subtree_sql("ot", "ft"),
            ),
            SQL("TRUE"),
        )

    def _fact_aggregate(self, owner_type, owner_ids, periods, aggregates, shift_years=0):
        """Rows ``(owner_id, pkey, *aggregates)`` of the salesperson roll-up of
        the facts of the KPI's company in each period, one grouped query."""
        owner, joins, condition = self._owner_sql(owner_type, owner_ids)
        self.env.cr.execute(
            SQL(
                """
                SELECT %(owner)s, p.pkey, %(aggregates)s
                  FROM sales_kpi_fact_user f
                  JOIN %(periods)s ON f.month = p.month
                  %(joins)s
                 WHERE f.company_id = %(company)s AND %(condition)s
                 GROUP BY 1, 2
                """,
                owner=owner,
                aggregates=SQL(", ").join(aggregates),
                periods=self._period_months_sql(periods, shift_years),
                joins=joins,
                company=self.company_id.id,
                condition=condition,
            )
        )
        return self.env.cr.fetchall()

    def _fact_sum(self, measure, owner_type, owner_ids, periods, shift_years=0):
        rows = self._fact_aggregate(
            owner_type, owner_ids, periods, [SQL("SUM(%s)", SQL.identifier("f", measure))], shift_years
        )
        return {(owner, key): value for owner, key, value in rows}

    # ------------------------------------------------------------------
    # Built-in sources
    # ------------------------------------------------------------------
    def _source_fact_measure(self, kpi, owner_type, owner_ids, periods):
        """The sum of the source's ``fact_measure`` over the monthly facts."""
        measure = self._get_kpi_sources()[kpi.source]["fact_measure"]
        return kpi._fact_sum(measure, owner_type, owner_ids, periods)

    def _source_price_maintenance(self, kpi, owner_type, owner_ids, periods):
        """Net sales / sales at list price, in percent."""
        rows = kpi._fact_aggregate(
            owner_type,
            owner_ids,
            periods,
            [SQL("SUM(f.amount_sale)"), SQL("SUM(f.amount_list)")],
        )
        return {(owner, key): (100.0 * net / listed if listed else 0.0) for owner, key, net, listed in rows}

    def _source_collection_rate(self, kpi, owner_type, owner_ids, periods):
        """Paid in period / (receivable at period start + invoiced in period), in percent."""
        owner, joins, condition = kpi._owner_sql(owner_type, owner_ids)
        self.env.cr.execute(
            SQL(
                """
                SELECT %(owner)s, p.pkey,
                       SUM(f.amount_paid) FILTER (WHERE f.month >= p.dfrom),
                       COALESCE(SUM(f.amount_receivable - f.amount_paid) FILTER (WHERE f.month < p.dfrom), 0)
                       + COALESCE(SUM(f.amount_receivable) FILTER (WHERE f.month >= p.dfrom), 0)
                  FROM sales_kpi_fact_user f
                  JOIN %(periods)s ON f.month <= p.dto
                  %(joins)s
                 WHERE f.company_id = %(company)s AND %(condition)s
                 GROUP BY 1, 2
                """,
                owner=owner,
                periods=kpi._periods_sql(periods),
                joins=joins,
                company=kpi.company_id.id,
                condition=condition,
            )
        )
        return {
            (owner_id, key): (100.0 * (paid or 0.0) / base if base else 0.0)
            for owner_id, key, paid, base in self.env.cr.fetchall()
        }

    def _source_visits(self, kpi, owner_type, owner_ids, periods):
        """The visits done by the salesperson (or the team's), by the month they
        were done (sales_team_mgmt's sales.visit): ``visits_done`` all of them
        (visits, calls, meetings), ``visit_success_rate`` the percentage of them
        marked successful, ``calls`` the phone calls and ``call_minutes`` their
        minutes."""
        domain = [("state", "=", "done")]
        if kpi.source in ("calls", "call_minutes"):
            domain.append(("visit_type", "=", "call"))

        def count(extra=(), aggregates=("__count",)):
            return self._records_source(
                kpi,
                owner_type,
                owner_ids,
                periods,
                "sales.visit",
                domain + list(extra),
                date_field="done_date",
                user_field="user_id",
                team_field="team_id",
                aggregates=aggregates,
            )

        if kpi.source == "call_minutes":
            return count(aggregates=("duration:sum",))
        if kpi.source == "visit_success_rate":
            done, successful = count(), count([("success", "=", True)])
            return {cell: 100.0 * successful.get(cell, 0) / total for cell, total in done.items() if total}
        return count()

    def _source_complaints(self, kpi, owner_type, owner_ids, periods):
        """Complaints about the salesperson (or the team's), by complaint date,
        rejected ones excepted (found unfounded); ``complaints_<category>``
        counts one category (sales_team_mgmt's sales.complaint)."""
        domain = [("state", "!=", "rejected")]
        if kpi.source.startswith("complaints_"):
            domain.append(("category", "=", kpi.source.removeprefix("complaints_")))
        return self._records_source(
            kpi,
            owner_type,
            owner_ids,
            periods,
            "sales.complaint",
            domain,
            date_field="date",
            user_field="user_id",
            team_field="team_id",
        )

    def _source_expenses(self, kpi, owner_type, owner_ids, periods):
        """The approved expenses of the salesperson (or the team's), summed by
        expense date, in company currency (sales_team_mgmt's sales.expense)."""
        return self._records_source(
            kpi,
            owner_type,
            owner_ids,
            periods,
            "sales.expense",
            [("state", "=", "approved")],
            date_field="date",
            user_field="user_id",
            team_field="team_id",
            aggregates=("amount:sum",),
        )

    def _source_work_reports(self, kpi, owner_type, owner_ids, periods):
        """The work reports of the salesperson (or the team's), by the month their
        period starts (sales_team_mgmt's sales.work.report): ``report_on_time_rate``
        the percentage of the submitted ones submitted by their deadline,
        ``report_score_rate`` the average score rate (%) of the reviewed ones that
        have a rubric."""

        def read(domain, aggregates=("__count",), combine=None):
            return self._records_source(
                kpi,
                owner_type,
                owner_ids,
                periods,
                "sales.work.report",
                domain,
                date_field="date_from",
                user_field="user_id",
                team_field="team_id",
                aggregates=aggregates,
                combine=combine,
            )

        if kpi.source == "report_score_rate":

            def average(values):
                count = sum(v[1] for v in values)
                return sum(v[0] or 0.0 for v in values) / count if count else 0.0

            return read(
                [("state", "=", "reviewed"), ("score_max", ">", 0)],
                aggregates=("score_rate:sum", "__count"),
                combine=average,
            )
        submitted = read([("submitted_date", "!=", False)])
        on_time = read([("submitted_date", "!=", False), ("on_time", "=", True)])
        return {cell: 100.0 * on_time.get(cell, 0) / total for cell, total in submitted.items() if total}

    def _source_attendance(self, kpi, owner_type, owner_ids, periods):
        """Attendance of the salesperson from hr_attendance and the working
        calendar (``sales.scorecard.attendance``): ``attendance_score`` 100 - 4 per
        absent day (a half day counts as a day), ``late_count`` the days with a
        check-in after the start plus the company's tolerance. A team's value:
        the mean score and the sum of late days of the members of its subtree."""
        Attendance = self.env["sales.scorecard.attendance"]
        if owner_type == "user":
            owners = {owner_id: [owner_id] for owner_id in owner_ids}
        else:
            subtrees = self._team_subtrees(owner_ids)
            date_from = min(p[1] for p in periods)
            date_to = max(p[2] for p in periods)
            Member = self.env["crm.team.member"].sudo()
            members = Member.search(
                [("crm_team_id", "in", list({t for ids in subtrees.values() for t in ids})), ("user_id", "!=", False)]
                + Member._sales_period_domain(date_from, date_to)
            )
            owners = {
                owner_id: list({m.user_id.id for m in members if m.crm_team_id.id in subtrees.get(owner_id, ())})
                for owner_id in owner_ids
            }
        users = sorted({u for ids in owners.values() for u in ids})
        result = {}
        for key, date_from, date_to in periods:
            figures = Attendance._sales_attendance_figures(users, date_from, date_to, company=kpi.company_id)
            for owner_id, user_ids in owners.items():
                if not user_ids:
                    continue
                if kpi.source == "late_count":
                    result[(owner_id, key)] = sum(figures[u]["late_count"] for u in user_ids)
                else:
                    scores = [max(0.0, 100.0 - 4.0 * figures[u]["absent_days"]) for u in user_ids]
                    result[(owner_id, key)] = sum(scores) / len(scores)
        return result

    def _source_new_customers(self, kpi, owner_type, owner_ids, periods):
        """Customers whose first confirmed order (in the company) falls in the
        period, counted for the owner(s) who took an order from them that month."""
        owner, joins, condition = kpi._owner_sql(owner_type, owner_ids)
        self.env.cr.execute(
            SQL(
                """
                WITH c AS (
                    SELECT partner_id, month, team_id, user_id,
                           MIN(month) OVER (PARTITION BY partner_id) AS first_month
                      FROM sales_kpi_fact
                     WHERE company_id = %(company)s AND categ_id IS NULL AND order_count > 0
                )
                SELECT %(owner)s, p.pkey, COUNT(DISTINCT f.partner_id)
                  FROM c f
                  JOIN %(periods)s ON f.month = p.month
                  %(joins)s
                 WHERE f.month = f.first_month AND %(condition)s
                 GROUP BY 1, 2
                """,
                owner=owner,
                periods=kpi._period_months_sql(periods),
                joins=joins,
                company=kpi.company_id.id,
                condition=condition,
            )
        )
        return {(owner_id, key): count for owner_id, key, count in self.env.cr.fetchall()}

    def _source_lost_customers(self, kpi, owner_type, owner_ids, periods):
        """A customer is lost in the month that completes N months (company
        policy, default 6) without a confirmed order after its last one; it
        counts for the owner(s) of that last order. Only completed months count."""
        months = kpi.company_id.kpi_lost_customer_months or 6
        owner, joins, condition = kpi._owner_sql(owner_type, owner_ids)
        today = fields.Date.context_today(self)
        self.env.cr.execute(
            SQL(
                """
                WITH c AS (
                    SELECT partner_id, month, team_id, user_id,
                           MIN(month) OVER (PARTITION BY partner_id ORDER BY month
                                            RANGE BETWEEN INTERVAL '1 day' FOLLOWING AND UNBOUNDED FOLLOWING)
                               AS next_month
                      FROM sales_kpi_fact
                     WHERE company_id = %(company)s AND categ_id IS NULL AND order_count > 0
                )
                SELECT %(owner)s, p.pkey, COUNT(DISTINCT f.partner_id)
                  FROM c f
                  JOIN %(periods)s ON p.month = (f.month + %(gap)s::interval)::date
                  %(joins)s
                 WHERE (f.next_month IS NULL OR f.next_month > f.month + %(gap)s::interval)
                   AND f.month + %(gap)s::interval < %(this_month)s
                   AND %(condition)s
                 GROUP BY 1, 2
                """,
                owner=owner,
                periods=kpi._period_months_sql(periods),
                joins=joins,
                company=kpi.company_id.id,
                condition=condition,
                gap=f"{int(months)} months",
                this_month=today.replace(day=1),
            )
        )
        return {(owner_id, key): count for owner_id, key, count in self.env.cr.fetchall()}

    def _source_retention(self, kpi, owner_type, owner_ids, periods):
        """Share (percent) of the owner's customers of the same period last
        year who ordered from the owner again in the period."""
        owner, joins, condition = kpi._owner_sql(owner_type, owner_ids)
        rows = []
        for key, date_from, date_to in periods:
            for last_year, (month, stop) in (
                (False, (date_from, date_to)),
                (True, kpi._shift_period(date_from, date_to)),
            ):
                while month <= stop:
                    rows.append(SQL("(%s::text, %s::date, %s)", key, month, last_year))
                    month += relativedelta(months=1)
        self.env.cr.execute(
            SQL(
                """
                SELECT owner_id, pkey, COUNT(*) FILTER (WHERE last_year AND this_year), COUNT(*)
                  FROM (
                    SELECT %(owner)s AS owner_id, p.pkey, f.partner_id,
                           bool_or(p.last_year) AS last_year, bool_or(NOT p.last_year) AS this_year
                      FROM sales_kpi_fact f
                      JOIN (VALUES %(periods)s) AS p(pkey, month, last_year) ON f.month = p.month
                      %(joins)s
                     WHERE f.company_id = %(company)s AND f.categ_id IS NULL AND f.order_count > 0
                       AND %(condition)s
                     GROUP BY 1, 2, 3
                  ) s
                 WHERE last_year
                 GROUP BY 1, 2
                """,
                owner=owner,
                periods=SQL(", ").join(rows),
                joins=joins,
                company=kpi.company_id.id,
                condition=condition,
            )
        )
        return {
            (owner_id, key): (100.0 * kept / base if base else 0.0)
            for owner_id, key, kept, base in self.env.cr.fetchall()
        }

    def _source_growth(self, kpi, owner_type, owner_ids, periods):
        """(value - value same period last year) / value last year, in percent."""
        base = kpi.base_kpi_id
        handler = self._get_source_handler(base.source)
        current = handler(base, owner_type, owner_ids, periods)
        shifted = [(key, *self._shift_period(date_from, date_to)) for key, date_from, date_to in periods]
        previous = handler(base, owner_type, owner_ids, shifted)
        result = {}
        for key, last in previous.items():
            if last:
                result[key] = 100.0 * (float(current.get(key) or 0.0) - float(last)) / float(last)
        return result

    def _source_plan_completion(self, kpi, owner_type, owner_ids, periods):
        """Actual of the measured KPI / its target in published plans, in percent."""
        base = kpi.base_kpi_id
        actual = self._get_source_handler(base.source)(base, owner_type, owner_ids, periods)
        targets = self.env["sales.kpi.target.line"]._get_targets(base, owner_type, owner_ids, periods)
        return {key: 100.0 * float(actual.get(key) or 0.0) / target for key, target in targets.items() if target}

    def _source_manual(self, kpi, owner_type, owner_ids, periods):
        """Monthly values entered by the manager: summed over the period for
        additive units, averaged otherwise; a team covers its sub-teams."""
        owner, joins, condition = kpi._owner_sql(owner_type, owner_ids, alias="v")
        if owner_type == "user":
            condition = SQL("%s AND v.team_id IS NULL", condition)
        else:
            condition = SQL("v.user_id IS NULL")
        aggregate = SQL("SUM(v.value)") if kpi.unit in ADDITIVE_UNITS else SQL("AVG(v.value)")
        self.env.cr.execute(
            SQL(
                """
                SELECT %(owner)s, p.pkey, %(aggregate)s
                  FROM sales_kpi_manual_value v
                  JOIN %(periods)s ON v.month BETWEEN p.dfrom AND p.dto
                  %(joins)s
                 WHERE v.kpi_id = %(kpi)s AND %(condition)s
                 GROUP BY 1, 2
                """,
                owner=owner,
                aggregate=aggregate,
                periods=kpi._periods_sql(periods),
                joins=joins,
                kpi=kpi.id,
                condition=condition,
            )
        )
        return {(owner_id, key): value for owner_id, key, value in self.env.cr.fetchall()}

    def _source_custom(self, kpi, owner_type, owner_ids, periods):
        """One ``_read_group`` on the configured model, by owner and month.

        Computed as superuser, on purpose: a custom KPI is a definition made by
        a KPI manager, checked when it is saved with its author's rights (see
        :meth:`_get_custom_source_errors`: a model and fields they may read),
        and its values are computed for its owners, who may not read the
        records counted (another salesperson's orders in their team, for
        instance). Who may compute for which owners is checked by
        :meth:`_check_owner_access`. The configured model and fields are
        metadata, which only administrators may read: they are read as
        superuser as well."""
        definition = kpi.sudo()
        if owner_type == "team" and not kpi.custom_team_field_id:
            raise UserError(
                self.env._(
                    "The KPI %(kpi)s has no team field: it can only be computed for salespeople.",
                    kpi=kpi.display_name,
                )
            )
        measure = definition.custom_measure_field_id.name
        if kpi.custom_aggregate == "count" or not measure:
            aggregates = ["__count"]
        elif kpi.custom_aggregate == "avg":
            aggregates = [f"{measure}:sum", "__count"]
        else:
            aggregates = [f"{measure}:{kpi.custom_aggregate}"]
        return self._records_source(
            kpi,
            owner_type,
            owner_ids,
            periods,
            definition.custom_model,
            list(safe_eval(kpi.custom_domain or "[]")),
            date_field=definition.custom_date_field_id.name,
            user_field=definition.custom_user_field_id.name,
            team_field=definition.custom_team_field_id.name,
            aggregates=aggregates,
            combine=kpi._combine_custom,
        )

    @api.model
    def _records_source(
        self,
        kpi,
        owner_type,
        owner_ids,
        periods,
        model_name,
        domain,
        date_field,
        user_field,
        team_field=None,
        aggregates=("__count",),
        combine=None,
    ):
        """The values of a source that counts or sums the records of a model (visits,
        complaints, reports...): one ``_read_group`` by owner and month, as
        superuser (who may compute for which owners is checked before, by
        :meth:`_check_owner_access`), in the KPI's company when the model has one;
        a team covers its sub-teams.

        :param domain: the records that count; the period, owners and company are added.
        :param date_field, user_field, team_field: the fields giving the record's
            month, salesperson and team (without a team field, the source is computed
            for salespeople only).
        :param aggregates: ``_read_group`` aggregates, default the count.
        :param combine: ``combine(list of monthly aggregate tuples)`` gives the value of
            one (owner, period) cell; default the sum of the first aggregate.
        :return: ``{(owner_id, period key): value}``."""
        model = self.env[model_name].sudo()
        if owner_type == "user":
            owner_field = user_field
            teams = None
        else:
            if not team_field:
                raise UserError(
                    self.env._(
                        "The KPI %(kpi)s can only be computed for salespeople.",
                        kpi=kpi.display_name,
                    )
                )
            owner_field = team_field
            teams = self._team_subtrees(owner_ids)
        date_from = min(p[1] for p in periods)
        date_to = max(p[2] for p in periods)
        domain = list(domain)
        domain += [(date_field, ">=", date_from), (date_field, "<", date_to + relativedelta(days=1))]
        if owner_type == "user":
            domain.append((owner_field, "in", owner_ids))
        else:
            domain.append((owner_field, "in", list({t for subtree in teams.values() for t in subtree})))
        if "company_id" in model._fields:
            domain.append(("company_id", "=", kpi.company_id.id))
        groups = model._read_group(domain, [owner_field, f"{date_field}:month"], list(aggregates))
        cells = defaultdict(list)
        for owner_record, month_start, *values in groups:
            month = fields.Date.to_date(month_start) if month_start else None
            if not month or not owner_record:
                continue
            if owner_type == "user":
                targets = [owner_record.id]
            else:
                targets = [team for team, subtree in teams.items() if owner_record.id in subtree]
            for key, period_from, period_to in periods:
                if period_from <= month <= period_to:
                    for target in targets:
                        cells[(target, key)].append(values)
        if combine is None:

            def combine(values):
                return sum(v[0] or 0.0 for v in values)

        return {cell: combine(values) for cell, values in cells.items()}

    def _combine_custom(self, values):
        """Combine the monthly aggregates of one (owner, period) cell."""
        self.ensure_one()
        measure = self.custom_measure_field_id
        if self.custom_aggregate == "avg" and measure:
            count = sum(v[1] for v in values)
            return sum(v[0] or 0.0 for v in values) / count if count else 0.0
        if self.custom_aggregate == "min" and measure:
            return min(v[0] for v in values)
        if self.custom_aggregate == "max" and measure:
            return max(v[0] for v in values)
        return sum(v[0] or 0.0 for v in values)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _team_subtrees(self, team_ids):
        """``{team id: set of ids of the team and its descendants}`` (one query)."""
        self.env.cr.execute(
            SQL(
                "SELECT o.id, t.id FROM crm_team o JOIN crm_team t ON %s WHERE o.id = ANY(%s)",
                self.env["crm.team"]._sales_subtree_sql("o", "t"),
                list(team_ids),
            )
        )
        result = defaultdict(set)
        for owner_id, team_id in self.env.cr.fetchall():
            result[owner_id].add(team_id)
        return result

    def _is_additive(self):
        self.ensure_one()
        return self.unit in ADDITIVE_UNITS

    def _get_custom_source_errors(self):
        """Every problem of the custom source configuration, as sentences.

        Checked with the rights of the current user, the author of the
        definition (a superuser, e.g. an addon's data, passes every access
        check): the model must store records in a table (not abstract, not
        transient), the author must be allowed to read it, and to read the
        date, user, team and measure fields and the fields the domain names.
        The values are then computed as superuser (see :meth:`_source_custom`).
        """
        self.ensure_one()
        errors = []
        # ir.model and ir.model.fields are readable by administrators only: the
        # names of the configured model and fields are read as superuser, the
        # model itself is checked with the author's rights.
        definition = self.sudo()
        model_name = definition.custom_model_id.model
        if not model_name or model_name not in self.env:
            errors.append(self.env._("Choose an existing model."))
            return errors
        model = self.env[model_name]
        model_error = self._get_custom_model_error(model)
        if model_error:
            errors.append(model_error)
            return errors

        def check_field(field, label, types, relation=None):
            if not field:
                errors.append(self.env._("Choose the %(label)s.", label=label))
                return
            model_field = model._fields.get(field.name)
            if field.model_id != definition.custom_model_id or not model_field:
                errors.append(
                    self.env._(
                        "The %(label)s %(field)s is not a field of %(model)s.",
                        label=label,
                        field=field.name,
                        model=model_name,
                    )
                )
            elif model_field.type not in types or not model_field.store:
                errors.append(
                    self.env._(
                        "The %(label)s %(field)s must be a stored field of type %(types)s.",
                        label=label,
                        field=field.name,
                        types=", ".join(types),
                    )
                )
            elif relation and model_field.comodel_name != relation:
                errors.append(
                    self.env._(
                        "The %(label)s %(field)s must point to %(relation)s.",
                        label=label,
                        field=field.name,
                        relation=relation,
                    )
                )
            elif not model_field.is_accessible(self.env):
                errors.append(
                    self.env._("You are not allowed to read the %(label)s %(field)s.", label=label, field=field.name)
                )

        check_field(definition.custom_date_field_id, self.env._("date field"), ("date", "datetime"))
        check_field(definition.custom_user_field_id, self.env._("user field"), ("many2one",), "res.users")
        if definition.custom_team_field_id:
            check_field(definition.custom_team_field_id, self.env._("team field"), ("many2one",), "crm.team")
        if not self.custom_aggregate:
            errors.append(self.env._("Choose the aggregate."))
        elif self.custom_aggregate != "count":
            check_field(
                definition.custom_measure_field_id, self.env._("measure field"), ("integer", "float", "monetary")
            )
        errors.extend(self._get_custom_domain_errors(model))
        return errors

    def _get_custom_domain_errors(self, model):
        """Problems of the custom domain on ``model``: it must evaluate through
        the ORM, as the current user, on fields they may read."""
        self.ensure_one()
        try:
            domain = safe_eval(self.custom_domain or "[]")
            if not isinstance(domain, list | tuple):
                raise ValueError(domain)
            domain = list(domain)
            inaccessible = self._get_inaccessible_domain_fields(model, domain)
            if not inaccessible:
                model._search(domain)
        except Exception as error:  # noqa: BLE001 - any failure means an invalid domain
            return [self.env._("The domain does not evaluate: %(error)s", error=error)]
        return [
            self.env._("You are not allowed to read the field %(field)s of %(model)s.", field=name, model=owner)
            for owner, name in inaccessible
        ]

    @api.model
    def _get_custom_model_error(self, model):
        """Why the current user may not compute a custom KPI on ``model``
        (a sentence), or ``None``: it must store records in a table and the
        user must be allowed to read them."""
        if model._abstract:
            return self.env._("The model %(model)s is abstract: it stores no records.", model=model._name)
        if model._transient:
            return self.env._(
                "The model %(model)s is transient (a wizard): its records are temporary.", model=model._name
            )
        if not model._table_query and not table_kind(self.env.cr, model._table):
            return self.env._("The model %(model)s has no table.", model=model._name)
        if not model.has_access("read"):
            return self.env._("You are not allowed to read records of %(model)s.", model=model._name)
        return None

    @api.model
    def _get_inaccessible_domain_fields(self, model, domain):
        """``[(model name, field name)]`` of the fields named by the leaves
        of ``domain`` (with each step of their paths) that the current user
        may not read."""
        result = []
        for leaf in domain:
            if not isinstance(leaf, list | tuple) or len(leaf) != 3 or not isinstance(leaf[0], str):
                continue
            current = model
            for name in leaf[0].split("."):
                field = current._fields.get(name)
                if field is None:
                    break
                if not field.is_accessible(self.env) and (current._name, name) not in result:
                    result.append((current._name, name))
                if not field.relational:
                    break
                current = self.env[field.comodel_name]
        return result
