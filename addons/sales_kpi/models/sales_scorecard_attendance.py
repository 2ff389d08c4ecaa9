# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict
from datetime import datetime, time, timedelta

from pytz import utc

from odoo import api, models
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
