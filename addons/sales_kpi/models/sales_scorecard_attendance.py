# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from pytz import utc

from odoo import api, fields, models
from odoo.tools import SQL


class SalesScorecardAttendance(models.AbstractModel):
    """Absent days and late check-ins of salespeople in a period, for all of them
    at once (next_wave.md section 7).

    A scheduled unit is an interval of the member's working calendar (a morning or
    an afternoon) minus the approved leaves (``resource.calendar.leaves`` of the
    employee and the public holidays, which ``hr_holidays`` creates when a time
    off is validated); it is present when a real attendance overlaps it (Odoo's
    technical absence attendances, ``in_mode`` or ``out_mode`` 'technical', are
    not presence). A date with an absent unit is an absent day: a half day counts
    as a day. A day is late when the first check-in is after the start of its
    first unit plus the company's tolerance (at the tolerance exactly: on time).
    Members without an employee, or with flexible hours, are not measured.

    Queries: the employees in one search, then per working calendar the
    calendar's attendance lines and leaves (``_work_intervals_batch``), and every
    attendance of the period in one SQL query: none per member."""

    _name = "sales.scorecard.attendance"
    _description = "Scorecard Attendance"

    @api.model
    def _sales_attendance_figures(self, user_ids, date_from, date_to, company=None):
        """``{user id: {"measured", "scheduled_days", "absent_days", "late_count"}}``
        for ``user_ids`` from ``date_from`` to ``date_to`` (dates, both included)."""
        company = company or self.env.company
        tolerance = timedelta(minutes=company.scorecard_late_tolerance or 0)
        result = {
            user_id: {"measured": False, "scheduled_days": 0, "absent_days": 0, "late_count": 0} for user_id in user_ids
        }
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search([("user_id", "in", list(user_ids)), ("company_id", "=", company.id)], order="id")
        )
        employee_of_user = {}
        for employee in employees:
            employee_of_user.setdefault(employee.user_id.id, employee)
        if not employee_of_user:
            return result

        # Wide UTC bounds (any timezone), units kept by their local date.
        start = datetime.combine(date_from, time.min).replace(tzinfo=utc) - timedelta(days=1)
        end = datetime.combine(date_to, time.max).replace(tzinfo=utc) + timedelta(days=1)
        units = self._sales_scheduled_units(employee_of_user.values(), start, end, date_from, date_to)
        if not units:
            return result
        presence = self._sales_presence(list(units), start, end)
        for user_id, employee in employee_of_user.items():
            if employee.id not in units:
                continue
            figures = result[user_id]
            figures["measured"] = True
            attendances = presence.get(employee.id, [])
            for _day, day_units in units[employee.id].items():
                figures["scheduled_days"] += 1
                day_units.sort()
                absent = False
                for unit_start, unit_end in day_units:
                    if not any(check_in <= unit_end and check_out >= unit_start for check_in, check_out in attendances):
                        absent = True
                        break
                if absent:
                    figures["absent_days"] += 1
                    continue
                first_start, first_end = day_units[0]
                first_check_in = min(
                    check_in
                    for check_in, check_out in attendances
                    if check_in <= first_end and check_out >= first_start
                )
                if first_check_in > first_start + tolerance:
                    figures["late_count"] += 1
        return result

    @api.model
    def _sales_scheduled_units(self, employees, start, end, date_from, date_to):
        """``{employee id: {local date: [(start, end) naive UTC]}}``: the work
        intervals of each employee's calendar minus leaves, one batch per calendar
        (flexible hours and no calendar: not measured, absent from the result)."""
        by_calendar = defaultdict(lambda: self.env["hr.employee"])
        for employee in employees:
            calendar = employee.resource_calendar_id
            if calendar and not calendar.flexible_hours:
                by_calendar[calendar] |= employee
        units = {}
        for calendar, calendar_employees in by_calendar.items():
            intervals = calendar._work_intervals_batch(start, end, resources=calendar_employees.resource_id)
            for employee in calendar_employees:
                days = defaultdict(list)
                for unit_start, unit_end, _attendance in intervals[employee.resource_id.id]:
                    day = unit_start.date()
                    if date_from <= day <= date_to:
                        days[day].append(
                            (
                                unit_start.astimezone(utc).replace(tzinfo=None),
                                unit_end.astimezone(utc).replace(tzinfo=None),
                            )
                        )
                units[employee.id] = days
        return units

    @api.model
    def _sales_presence(self, employee_ids, start, end):
        """``{employee id: [(check in, check out)]}``: the real attendances (not
        the technical ones) between ``start`` and ``end``, in one query; an open
        attendance counts as present at its check-in."""
        self.env["hr.attendance"].flush_model(["employee_id", "check_in", "check_out", "in_mode", "out_mode"])
        self.env.cr.execute(
            SQL(
                """
                SELECT employee_id, check_in, COALESCE(check_out, check_in)
                  FROM hr_attendance
                 WHERE employee_id = ANY(%(employees)s)
                   AND check_in < %(end)s
                   AND COALESCE(check_out, check_in) > %(start)s
                   AND COALESCE(in_mode, '') <> 'technical'
                   AND COALESCE(out_mode, '') <> 'technical'
                 ORDER BY employee_id, check_in
                """,
                employees=employee_ids,
                start=start.replace(tzinfo=None),
                end=end.replace(tzinfo=None),
            )
        )
        presence = defaultdict(list)
        for employee_id, check_in, check_out in self.env.cr.fetchall():
            presence[employee_id].append((check_in, check_out))
        return presence

    @api.model
    def _sales_demo_month(self):
        """Demo data only (``demo/sales_scorecard_demo.xml``): last month of the M
        brand department, scored (see the demo file)."""
        slt = self.env.ref("sales_team_mgmt.team_mbrand_slt_demo", raise_if_not_found=False)
        if not slt:
            return
        company = slt.company_id or self.env.ref("base.main_company")
        month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        month_end = month + relativedelta(months=1, days=-1)
        teams = self.env["crm.team"].search([("company_id", "=", company.id)])
        members = self.env["crm.team.member"].search([("crm_team_id", "in", teams.ids), ("user_id", "!=", False)])
        calendar = company.resource_calendar_id
        Employee = self.env["hr.employee"].sudo()
        users = members.user_id.sorted("id")
        have = Employee.search([("user_id", "in", users.ids)]).user_id
        Employee.create(
            [
                {
                    "name": user.name,
                    "user_id": user.id,
                    "company_id": company.id,
                    "resource_calendar_id": calendar.id,
                    "tz": calendar.tz or "Asia/Shanghai",
                }
                for user in users - have
            ]
        )
        employees = Employee.search([("user_id", "in", users.ids)])
        start = datetime.combine(month, time.min).replace(tzinfo=utc) - timedelta(days=1)
        end = datetime.combine(month_end, time.max).replace(tzinfo=utc) + timedelta(days=1)
        units = self._sales_scheduled_units(employees, start, end, month, month_end)
        # Installed again after an uninstall, the employees keep their attendances.
        attended = set(
            self.env["hr.attendance"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", employees.ids),
                    ("check_in", ">=", start.replace(tzinfo=None)),
                    ("check_in", "<=", end.replace(tzinfo=None)),
                ]
            )
            .employee_id.ids
        )
        vals_list = []
        for index, employee in enumerate(employees.sorted("id")):
            if employee.id in attended:
                continue
            for day_index, (_day, day_units) in enumerate(sorted(units.get(employee.id, {}).items())):
                day_units.sort()
                if index % 5 == 1 and day_index == 3:
                    continue  # absent
                check_in, check_out = day_units[0][0], day_units[-1][1]
                if index % 4 == 2 and day_index == 7:
                    check_out = day_units[0][1]  # only the morning: a half day
                if index % 3 == 0 and day_index in (5, 9):
                    check_in += timedelta(minutes=15)  # late
                vals_list.append({"employee_id": employee.id, "check_in": check_in, "check_out": check_out})
        self.env["hr.attendance"].sudo().create(vals_list)
        Scorecard = self.env["sales.scorecard"].sudo()
        result = Scorecard.with_company(company).generate_month(f"{month:%Y-%m}", company.id)
        cards = Scorecard.browse(result["scorecard_ids"])
        for card in cards:
            for line in card.rubric_line_ids:
                line.rubric_score = round(line.points * (0.6 + 0.1 * ((card.id + line.id) % 5)))
        unit = self.env.ref("sales_team_mgmt.team_mbrand_ec_sh_pd_demo", raise_if_not_found=False)
        cards.filtered(lambda card: card.team_id == unit).action_submit()
