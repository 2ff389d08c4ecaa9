# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import csv
import io
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from pytz import utc

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_is_zero

from odoo.addons.sales_team_mgmt.tools import check_guarded_fields, format_error_list

from .sales_incentive_rule import DAILY_MEASURES

_logger = logging.getLogger(__name__)

CLIENT_FIELDS = frozenset({"note"})
MAIL_PREFIXES = ("message_", "activity_")
STATES = [
    ("draft", "Computed"),
    ("to_approve", "In Review"),
    ("approved", "Approved"),
    ("rejected", "Returned"),
]
# How many approved months back a run looks for changes to correct.
CORRECTION_MONTHS = 12
SEQUENCES = {"base": 1, "completion": 2, "work": 3, "over_plan": 4}
PAYROLL_COLUMNS = ["base", "completion", "work", "over_plan", "fine", "bonus", "correction"]


class SalesPayRun(models.Model):
    """The pay of every member of a company for a month, computed in one batch
    from the month's scorecards (the pay formula of each role) and the fine and
    bonus rules, reviewed by HR (the approval engine: only HR approves) and
    then a snapshot: its lines and their basis figures never change. A change
    that reaches an approved month later (a refund, a late invoice, an
    attendance correction) becomes a correction line of the next open month's
    run, referencing the approved month."""

    _name = "sales.pay.run"
    _description = "Pay Run"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.approval.mixin"]
    _order = "month desc, company_id"
    _check_company_auto = True
    _approval_state_field = "state"
    # Approved: a snapshot (the engine refuses any change); corrections go into the next open month.
    _approval_locked_when_approved = True
    _sql_constraints = [
        ("company_month_uniq", "UNIQUE(company_id, month)", "A company has one pay run per month."),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    month = fields.Date(required=True, index=True, readonly=True, help="First day of the month paid.")
    state = fields.Selection(STATES, required=True, default="draft", tracking=True, readonly=True, index=True)
    line_ids = fields.One2many("sales.pay.line", "run_id", string="Pay Lines", readonly=True)
    total_amount = fields.Monetary(compute="_compute_totals", store=True, currency_field="currency_id")
    member_count = fields.Integer(string="Members", compute="_compute_totals", store=True)
    correction_count = fields.Integer(string="Corrections", compute="_compute_totals", store=True)
    computed_date = fields.Datetime(string="Computed on", readonly=True)
    approved_date = fields.Datetime(string="Snapshot on", readonly=True, copy=False)
    hr_approver_id = fields.Many2one("res.users", string="Approved by HR", readonly=True, copy=False)
    note = fields.Text()

    @api.depends("company_id", "month")
    def _compute_name(self):
        for run in self:
            run.name = f"{run.month:%Y-%m} {run.company_id.name}" if run.month else run.company_id.name

    @api.depends("line_ids.amount", "line_ids.member_id", "line_ids.line_type")
    def _compute_totals(self):
        for run in self:
            run.total_amount = sum(run.line_ids.mapped("amount"))
            run.member_count = len(run.line_ids.member_id)
            run.correction_count = len(run.line_ids.filtered(lambda line: line.line_type == "correction"))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.check_access("create")
            raise UserError(self.env._("A pay run is made by Compute Pay of a month (compute_month), not by hand."))
        return super().create(vals_list)

    def write(self, vals):
        self._sales_check_input([vals])
        check_guarded_fields(
            self.env,
            vals,
            {name for name in self._fields if name not in CLIENT_FIELDS and not name.startswith(MAIL_PREFIXES)},
            lambda: self.env._("A pay run is computed and reviewed through its buttons: only its note can be written."),
        )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        started = self.filtered(lambda run: run.state not in ("draft", "rejected"))
        if started:
            raise UserError(
                self.env._(
                    "%(runs)s is in review or approved: only a computed pay run can be deleted.",
                    runs=", ".join(started.mapped("display_name")),
                )
            )

    def _approval_lock_message(self):
        return self.env._(
            "%(runs)s is approved: it is a snapshot and never changes; a correction goes into the next open month.",
            runs=", ".join(self.mapped("display_name")),
        )

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------
    @api.model
    def _pay_check_payroll(self):
        user = self.env.user
        if not (
            self.env.su or user.has_group("hr.group_hr_user") or user.has_group("sales_kpi.group_sales_kpi_payroll")
        ):
            raise AccessError(self.env._("Only HR and payroll compute and export the pay of a month."))

    @api.model
    def compute_month(self, month, company_id=None):
        """Compute (or recompute) the pay run of ``month`` (``"YYYY-MM"``) of the
        company (default the current one): every member with a scorecard that
        month gets the lines of his role's pay formula and of the rules that
        fire, and the run gets a correction line for every change that reached
        an approved earlier month since its snapshot. Idempotent while the run
        is computed or returned. Returns ``{"run_id", "members", "lines",
        "corrections", "total"}``."""
        self._pay_check_payroll()
        first = self.env["sales.scorecard"]._sales_parse_month(month)
        company = self.env["res.company"].browse(company_id) if company_id else self.env.company
        if company_id and (not company.exists() or (company not in self.env.user.company_ids and not self.env.su)):
            raise AccessError(self.env._("You cannot compute the pay of another company."))
        run = self.sudo()._pay_run(company, first)
        return {
            "run_id": run.id,
            "members": run.member_count,
            "lines": len(run.line_ids),
            "corrections": run.correction_count,
            "total": run.total_amount,
        }

    def action_compute(self):
        self._pay_check_payroll()
        self._approval_check_unlocked()
        for run in self:
            self.sudo()._pay_run(run.company_id, run.month)
        return True

    def action_submit(self):
        """Send the run to HR; every scorecard of its month must be locked."""
        self._pay_check_payroll()
        wrong = self.filtered(lambda run: run.state not in ("draft", "rejected"))
        if wrong:
            raise UserError(
                self.env._("%(runs)s is already in review or approved.", runs=", ".join(wrong.mapped("display_name")))
            )
        for run in self:
            open_cards = (
                self.env["sales.scorecard"]
                .sudo()
                .search_count(
                    [("company_id", "=", run.company_id.id), ("month", "=", run.month), ("state", "!=", "approved")]
                )
            )
            if open_cards:
                raise UserError(
                    self.env._(
                        "%(run)s: %(count)s scorecards of the month are not locked yet; pay is made from locked "
                        "scorecards.",
                        run=run.display_name,
                        count=open_cards,
                    )
                )
        self._approval_start()
        return True

    @api.model
    def _get_approval_steps(self):
        return [
            self._approval_step("hr", self.env._("HR"), group="hr.group_hr_manager", approver_field="hr_approver_id"),
        ]

    def _approval_on_approved(self):
        now = fields.Datetime.now()
        for run in self:
            run.sudo().write({"approved_date": now})
            run._approval_post(
                self.env._(
                    "Approved: the %(count)s pay lines of %(month)s are a snapshot now.",
                    count=len(run.line_ids),
                    month=format(run.month, "%Y-%m"),
                )
            )

    def action_print_statements(self):
        return self.env.ref("sales_kpi.action_report_sales_pay_statement").report_action(self.line_ids)

    # ------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------
    def export_payroll(self, file_format="csv"):
        """The payroll layout of these runs: one row per member and month (login,
        name, team, role, standard pay, each kind of line, total), as
        ``{"filename", "mimetype", "content"}`` (content base64) in ``"csv"`` or
        ``"xlsx"``."""
        self._pay_check_payroll()
        if file_format not in ("csv", "xlsx"):
            raise UserError(self.env._("Format: %(format)r is unknown; use 'csv' or 'xlsx'.", format=file_format))
        self.check_access("read")
        rows = self._pay_payroll_rows()
        types = dict(self.env["sales.pay.line"]._fields["line_type"]._description_selection(self.env))
        header = [
            self.env._("Month"),
            self.env._("Login"),
            self.env._("Salesperson"),
            self.env._("Sales Team"),
            self.env._("Role"),
            self.env._("Standard Pay"),
            *(types[code] for code in PAYROLL_COLUMNS),
            self.env._("Total"),
        ]
        name = "payroll_" + "_".join(f"{run.month:%Y-%m}" for run in self)
        if file_format == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(header)
            writer.writerows(rows)
            content = buffer.getvalue().encode("utf-8-sig")
            mimetype = "text/csv"
        else:
            import xlsxwriter  # noqa: PLC0415 (Odoo's dependency, loaded on use)

            buffer = io.BytesIO()
            book = xlsxwriter.Workbook(buffer, {"in_memory": True})
            sheet = book.add_worksheet(self.env._("Payroll"))
            bold = book.add_format({"bold": True})
            money = book.add_format({"num_format": "#,##0.00"})
            sheet.write_row(0, 0, header, bold)
            for index, row in enumerate(rows, start=1):
                sheet.write_row(index, 0, row[:5])
                sheet.write_row(index, 5, row[5:], money)
            book.close()
            content = buffer.getvalue()
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return {
            "filename": f"{name}.{file_format}",
            "mimetype": mimetype,
            "content": base64.b64encode(content).decode(),
        }

    def _pay_payroll_rows(self):
        groups = (
            self.env["sales.pay.line"]
            .sudo()
            ._read_group(
                [("run_id", "in", self.ids)],
                ["run_id", "member_id", "line_type"],
                ["amount:sum", "standard_pay:max"],
            )
        )
        data = {}
        for run, member, line_type, amount, standard in groups:
            row = data.setdefault((run.month, member.id), {"member": member, "standard": 0.0})
            row[line_type] = amount
            row["standard"] = max(row["standard"], standard or 0.0)
        rows = []
        for (month, _member_id), row in sorted(
            data.items(), key=lambda item: (item[0][0], item[1]["member"].user_id.name or "")
        ):
            member = row["member"]
            amounts = [round(row.get(code, 0.0), 2) for code in PAYROLL_COLUMNS]
            rows.append(
                [
                    f"{month:%Y-%m}",
                    member.user_id.login,
                    member.user_id.name,
                    member.crm_team_id.name,
                    member.role_id.name or "",
                    round(row["standard"], 2),
                    *amounts,
                    round(sum(amounts), 2),
                ]
            )
        return rows

    def action_export_xlsx(self):
        export = self.export_payroll("xlsx")
        attachment = self.env["ir.attachment"].create(
            {
                "name": export["filename"],
                "datas": export["content"],
                "mimetype": export["mimetype"],
                "res_model": self._name,
                "res_id": self[:1].id,
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    # ------------------------------------------------------------------
    # Engine (runs as sudo)
    # ------------------------------------------------------------------
    def _pay_run(self, company, month):
        run = self.search([("company_id", "=", company.id), ("month", "=", month)])
        run._approval_check_unlocked()
        if run.state == "to_approve":
            raise UserError(
                self.env._("%(run)s is in review: HR returns it before it is computed again.", run=run.display_name)
            )
        vals_list = self._pay_compute(company, month)
        if not run:
            run = self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True).create(
                {"company_id": company.id, "month": month}
            )
        vals_list += self._pay_corrections(company, month, run)
        Line = self.env["sales.pay.line"]
        run.line_ids.unlink()
        for vals in vals_list:
            vals.update(run_id=run.id, company_id=company.id)
            if vals.get("month") is None:
                vals["month"] = month
        Line.create(vals_list)
        run.write({"computed_date": fields.Datetime.now()})
        _logger.info("Pay run %s: %s lines", run.display_name, len(vals_list))
        return run

    def _pay_compute(self, company, month, live=False):
        """The pay lines (values) of ``month``: a bounded number of queries
        whatever the number of members. ``live``: the plan completion is read
        from the KPI engine now (the facts as they are), not from the scorecard
        (for the corrections of an approved month)."""
        env = self.env
        month_end = month + relativedelta(months=1, days=-1)
        period = f"{month:%Y-%m}"
        cards = env["sales.scorecard"].search([("company_id", "=", company.id), ("month", "=", month)], order="id")
        if not cards:
            if live:
                return []
            raise UserError(
                self.env._("No scorecards for %(month)s: generate the month's scorecards first.", month=period)
            )
        members = cards.member_id
        standards = env["sales.pay.standard"]._pay_standard_of(company, members, month, month_end)
        missing = cards.filtered(lambda card: card.member_id.id not in standards)
        if missing:
            raise UserError(
                format_error_list(
                    [
                        self.env._(
                            "Standard Pay: %(member)s (%(role)s) has no standard pay effective in %(month)s.",
                            member=card.user_id.name,
                            role=card.role_id.display_name or self.env._("no role"),
                            month=period,
                        )
                        for card in missing[:20]
                    ]
                )
            )
        formulas = env["sales.pay.formula"]._pay_formula_of(company, cards.role_id)
        default_formula = formulas.get(False) or env["sales.pay.formula"].new(
            {"name": "Default", "company_id": company.id}
        )
        rules = env["sales.incentive.rule"].search([("company_id", "=", company.id), ("active", "=", True)])
        users = cards.user_id.ids

        completion_kpi = self._pay_completion_lines(cards, formulas, default_formula)
        kpis = rules.kpi_id | rules.kpi2_id
        if live:
            kpis |= env["sales.kpi"].union(*(line.kpi_id for line in completion_kpi.values() if line))
        values = {}
        if kpis and users:
            for row in kpis.compute_values("user", users, [period]):
                values[(row["kpi_id"], row["owner_id"])] = row["value"]

        daily, complaints = self._pay_rule_figures(company, rules, users, month, month_end)

        currency = company.currency_id
        vals_list = []
        for card in cards:
            user_id = card.user_id.id
            standard = standards[card.member_id.id].amount
            formula = formulas.get(card.role_id.id, default_formula)
            line = completion_kpi[card.id]
            if line and live:
                completion = values.get((line.kpi_id.id, user_id), 0.0)
            else:
                completion = line.actual if line else 0.0
            common = {
                "member_id": card.member_id.id,
                "user_id": user_id,
                "team_id": card.team_id.id,
                "role_id": card.role_id.id,
                "scorecard_id": card.id,
                "month": month,
                "standard_pay": standard,
            }
            for line_type, (amount, why) in formula._pay_amounts(standard, completion, card.daily_work_score).items():
                vals_list.append(
                    dict(
                        common,
                        line_type=line_type,
                        sequence=SEQUENCES[line_type],
                        name=why,
                        basis_value=completion
                        if line_type in ("completion", "over_plan")
                        else (card.daily_work_score if line_type == "work" else standard),
                        amount=currency.round(amount),
                    )
                )
            for rule in rules:
                if rule.role_ids and card.role_id not in rule.role_ids:
                    continue
                result = self._pay_apply_rule(rule, user_id, values, daily.get(user_id, {}), complaints)
                if not result:
                    continue
                occurrences, value, value2, detail = result
                amount, escalated = rule._pay_result(occurrences)
                why = self.env._(
                    "%(rule)s: %(n)s x %(rate)s",
                    rule=rule.name,
                    n=format(occurrences, "g"),
                    rate=format((rule.escalated_amount if escalated else rule.amount), ",.2f"),
                )
                if escalated:
                    why += " " + self.env._(
                        "(from occurrence %(n)s in the month every one counts %(rate)s; warning)",
                        n=rule.escalate_from,
                        rate=format(rule.escalated_amount, ",.2f"),
                    )
                vals_list.append(
                    dict(
                        common,
                        line_type=rule.kind,
                        rule_id=rule.id,
                        sequence=10 + rule.sequence,
                        name=why,
                        basis_detail=detail,
                        basis_value=value,
                        basis_value2=value2,
                        occurrences=occurrences,
                        warning=escalated and rule.escalation_warning,
                        amount=currency.round(amount),
                    )
                )
        return vals_list

    def _pay_completion_lines(self, cards, formulas, default_formula):
        """``{card id: scorecard line}``: the KPI line giving each card's plan
        completion (its formula's completion KPI, else its first plan-completion
        line), or None."""
        completion_kpi = {}
        lines_by_card = defaultdict(list)
        for line in cards.line_ids.filtered(lambda line: line.line_type == "kpi"):
            lines_by_card[line.scorecard_id.id].append(line)
        for card in cards:
            formula = formulas.get(card.role_id.id, default_formula)
            chosen = None
            for line in lines_by_card[card.id]:
                if formula.completion_kpi_id and line.kpi_id == formula.completion_kpi_id:
                    chosen = line
                    break
                if not formula.completion_kpi_id and line.kpi_id.source == "plan_completion" and not chosen:
                    chosen = line
            completion_kpi[card.id] = chosen
        return completion_kpi

    def _pay_rule_figures(self, company, rules, users, month, month_end):
        """``(daily, complaints)``: the daily figures (when a rule reads them) and
        the month's complaints ``{(user id, category or False): count}``."""
        measures = set(rules.mapped("measure")) | set(rules.filtered("measure2").mapped("measure2"))
        daily = {}
        if measures & set(DAILY_MEASURES):
            daily = self._pay_daily_figures(company, users, month, month_end)
        complaints = defaultdict(float)
        if "complaints" in measures:
            for user, category, count in self.env["sales.complaint"]._read_group(
                [
                    ("user_id", "in", users),
                    ("company_id", "=", company.id),
                    ("date", ">=", month),
                    ("date", "<=", month_end),
                    ("state", "!=", "rejected"),
                ],
                ["user_id", "category"],
                ["__count"],
            ):
                complaints[(user.id, category)] += count
                complaints[(user.id, False)] += count
        return daily, complaints

    def _pay_apply_rule(self, rule, user_id, values, days, complaints):
        """``(occurrences, value, value2, detail)`` of ``rule`` for a member, or
        None when it does not fire."""

        def monthly(measure, kpi):
            if measure == "kpi":
                return values.get((kpi.id, user_id), 0.0)
            if measure == "complaints":
                return complaints.get((user_id, rule.complaint_category or False), 0.0)
            return sum(figures.get(measure, 0.0) for figures in days.values())

        label = rule._pay_measure_label(rule.measure, rule.kpi_id)
        label2 = rule.measure2 and rule._pay_measure_label(rule.measure2, rule.kpi2_id)
        if rule.period == "month":
            value = monthly(rule.measure, rule.kpi_id)
            value2 = monthly(rule.measure2, rule.kpi2_id) if rule.measure2 else 0.0
            occurrences = rule._pay_units(value, value2)
            if not occurrences:
                return None
            detail = f"{label} {value:,.2f}" + (f"; {label2} {value2:,.2f}" if rule.measure2 else "")
            return occurrences, value, value2, detail
        occurrences = 0
        total, total2 = 0.0, 0.0
        details = []
        for day, figures in sorted(days.items()):
            value = figures.get(rule.measure, 0.0)
            value2 = figures.get(rule.measure2, 0.0) if rule.measure2 else 0.0
            units = rule._pay_units(value, value2)
            if not units:
                continue
            occurrences += units
            total += value
            total2 += value2
            details.append(f"{day}: {label} {value:g}" + (f", {label2} {value2:g}" if rule.measure2 else ""))
        if not occurrences:
            return None
        return occurrences, total, total2, "\n".join(details)

    @api.model
    def _pay_daily_figures(self, company, user_ids, date_from, date_to):
        """``{user id: {date: {"calls", "call_minutes", "lateness"}}}`` for each
        working day of each member: the phone calls done (sales.visit) and their
        minutes per day, and the lateness plus the early leave (0, 1 or 2) of the
        day from the attendances. Working days are the member's calendar's
        (approved leave excepted), Monday to Friday without an employee. One
        query for the calls, the attendance model's batch for the rest."""
        tz = company.resource_calendar_id.tz or "UTC"
        start = datetime.combine(date_from, time.min).replace(tzinfo=utc) - timedelta(days=1)
        end = datetime.combine(date_to, time.max).replace(tzinfo=utc) + timedelta(days=1)
        result = {}
        Attendance = self.env["sales.scorecard.attendance"]
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search([("user_id", "in", list(user_ids)), ("company_id", "=", company.id)], order="id")
        )
        employee_of_user = {}
        for employee in employees:
            employee_of_user.setdefault(employee.user_id.id, employee)
        units = Attendance._sales_scheduled_units(employee_of_user.values(), start, end, date_from, date_to)
        presence = Attendance._sales_presence(list(units), start, end) if units else {}
        tolerance = timedelta(minutes=company.scorecard_late_tolerance or 0)
        weekdays = [
            date_from + timedelta(days=offset)
            for offset in range((date_to - date_from).days + 1)
            if (date_from + timedelta(days=offset)).weekday() < 5
        ]
        for user_id in user_ids:
            employee = employee_of_user.get(user_id)
            if not employee or employee.id not in units:
                result[user_id] = {day: {"calls": 0, "call_minutes": 0, "lateness": 0} for day in weekdays}
                continue
            attendances = presence.get(employee.id, [])
            days = {}
            for day, day_units in units[employee.id].items():
                day_units.sort()
                lateness = 0
                first_start, first_end = day_units[0]
                last_start, last_end = day_units[-1]
                day_start, day_end = first_start, last_end
                today = [(i, o) for i, o in attendances if i <= day_end and o >= day_start]
                if today:
                    first_in = min(i for i, _o in today)
                    last_out = max(o for _i, o in today)
                    if first_in > first_start + tolerance:
                        lateness += 1
                    if last_out < last_end - tolerance and last_out >= last_start:
                        lateness += 1
                days[day] = {"calls": 0, "call_minutes": 0, "lateness": lateness}
            result[user_id] = days
        self.env["sales.visit"].flush_model(["user_id", "company_id", "state", "visit_type", "done_date", "duration"])
        self.env.cr.execute(
            SQL(
                """
                SELECT user_id, (done_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS day,
                       COUNT(*), COALESCE(SUM(duration), 0)
                  FROM sales_visit
                 WHERE company_id = %(company)s
                   AND state = 'done'
                   AND visit_type = 'call'
                   AND user_id = ANY(%(users)s)
                   AND done_date >= %(start)s
                   AND done_date < %(end)s
                 GROUP BY 1, 2
                """,
                tz=tz,
                company=company.id,
                users=list(user_ids),
                start=start.replace(tzinfo=None),
                end=end.replace(tzinfo=None),
            )
        )
        for user_id, day, calls, minutes in self.env.cr.fetchall():
            figures = result.get(user_id, {}).get(day)
            if figures is not None:  # calls on a day off are not a working day's
                figures["calls"] = calls
                figures["call_minutes"] = minutes
        return result

    def _pay_corrections(self, company, month, run):
        """Correction lines for ``run``: for every approved run of the company in
        the months before (at most a year back), its lines computed again now
        against what was paid (its snapshot plus the corrections booked since in
        other runs); each difference is one line referencing the approved month."""
        earlier = self.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "approved"),
                ("month", "<", month),
                ("month", ">=", month - relativedelta(months=CORRECTION_MONTHS)),
            ],
            order="month",
        )
        if not earlier:
            return []
        Line = self.env["sales.pay.line"]
        currency = company.currency_id
        types = dict(Line._fields["line_type"]._description_selection(self.env))
        vals_list = []
        for approved in earlier:
            booked = defaultdict(float)
            info = {}
            for member, line_type, rule, amount in Line._read_group(
                [("run_id", "=", approved.id), ("line_type", "!=", "correction")],
                ["member_id", "line_type", "rule_id"],
                ["amount:sum"],
            ):
                booked[(member.id, line_type, rule.id)] += amount
                info[member.id] = member
            for member, line_type, rule, amount in Line._read_group(
                [("correction_run_id", "=", approved.id), ("run_id", "!=", run.id)],
                ["member_id", "correction_type", "rule_id"],
                ["amount:sum"],
            ):
                booked[(member.id, line_type, rule.id)] += amount
                info[member.id] = member
            fresh = defaultdict(float)
            for vals in self._pay_compute(company, approved.month, live=True):
                fresh[(vals["member_id"], vals["line_type"], vals.get("rule_id") or False)] += vals["amount"]
            for key in sorted(set(booked) | set(fresh), key=lambda k: (k[0], k[1], k[2] or 0)):
                member_id, line_type, rule_id = key
                diff = currency.round(fresh.get(key, 0.0) - booked.get(key, 0.0))
                if float_is_zero(diff, precision_rounding=currency.rounding):
                    continue
                member = info.get(member_id) or self.env["crm.team.member"].browse(member_id)
                rule = self.env["sales.incentive.rule"].browse(rule_id)
                vals_list.append(
                    {
                        "member_id": member_id,
                        "user_id": member.user_id.id,
                        "team_id": member.crm_team_id.id,
                        "role_id": member.role_id.id,
                        "month": month,
                        "line_type": "correction",
                        "correction_type": line_type,
                        "correction_month": approved.month,
                        "correction_run_id": approved.id,
                        "rule_id": rule_id,
                        "sequence": 100,
                        "basis_value": fresh.get(key, 0.0),
                        "basis_value2": booked.get(key, 0.0),
                        "amount": diff,
                        "name": self.env._(
                            "Correction of %(month)s, %(what)s: paid %(old)s, now %(new)s",
                            month=format(approved.month, "%Y-%m"),
                            what=rule.name or types[line_type],
                            old=format(booked.get(key, 0.0), ",.2f"),
                            new=format(fresh.get(key, 0.0), ",.2f"),
                        ),
                    }
                )
        return vals_list
