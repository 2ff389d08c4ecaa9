# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import datetime

from odoo.tests import TransactionCase, tagged

# A Wednesday; the calendar's time zone is UTC, 8:00-12:00 and 13:00-17:00 on weekdays.
WEDNESDAY = datetime(2026, 12, 9, 9, 0)


@tagged("post_install", "-at_install")
class TestWorkIntervalsCache(TransactionCase):
    """The calendars' work intervals, cached per process (the OSB timeline's SLA
    targets read them at every confirmation): the same as Odoo computes them, read
    once, and computed again when a calendar, its hours or a global leave change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create({"name": "Cache calendar", "tz": "UTC"})
        cls.employee = cls.env["resource.resource"].create({"name": "Cache person", "calendar_id": cls.calendar.id})

    def intervals(self):
        return self.calendar._sales_work_intervals(WEDNESDAY, WEDNESDAY, min_days=14)

    def queries(self):
        before = self.env.cr.sql_log_count
        result = self.intervals()
        return self.env.cr.sql_log_count - before, result

    def test_intervals_are_odoos(self):
        starts, ends, cumulated = self.intervals()
        # The window starts on the Monday and covers at least 14 days after the time asked.
        self.assertEqual(starts[0], datetime(2026, 12, 7, 8, 0))
        self.assertGreaterEqual(ends[-1], datetime(2026, 12, 23, 17, 0))
        # Exactly what Odoo counts: two intervals a weekday, 8 hours.
        hours = sum((stop - start).total_seconds() / 3600 for start, stop in zip(starts, ends, strict=True))
        self.assertEqual(hours, 8 * 20)  # four weeks of five days
        self.assertEqual(len(starts), 2 * 20)
        self.assertEqual(cumulated[-1], hours)

    def test_read_once_until_the_calendar_changes(self):
        self.intervals()
        count, first = self.queries()
        self.assertEqual(count, 0)
        # A person's time off does not change the calendar's intervals.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Time off",
                "calendar_id": self.calendar.id,
                "resource_id": self.employee.id,
                "date_from": datetime(2026, 12, 10, 0, 0),
                "date_to": datetime(2026, 12, 10, 23, 59),
            }
        )
        count, again = self.queries()
        self.assertEqual((count, again), (0, first))
        # A public holiday does: Thursday's 8 hours are gone.
        holiday = self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 12, 10, 0, 0),
                "date_to": datetime(2026, 12, 10, 23, 59),
            }
        )
        count, with_holiday = self.queries()
        self.assertGreater(count, 0)
        self.assertEqual(len(with_holiday[0]), len(first[0]) - 2)
        self.assertNotIn(datetime(2026, 12, 10, 8, 0), with_holiday[0])
        # Removing it, or changing the hours of a day, computes them again.
        holiday.unlink()
        self.assertEqual(self.intervals(), first)
        self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "0").unlink()  # no more Mondays
        starts, _ends, _cumulated = self.intervals()
        self.assertFalse([start for start in starts if start.weekday() == 0])
