# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import datetime, time, timedelta

import pytz

from odoo import models, tools

# The windows of cached work intervals start on a Monday and span whole blocks
# of four weeks, so that the times asked over a few weeks share one window.
WINDOW_BLOCK = timedelta(weeks=4)


class ResourceCalendar(models.Model):
    """Working calendars, with their work intervals cached per process: the
    working-time figures of the addons (SLA targets and cycle times of the OSB
    timeline, report deadlines) read them at every confirmation, delivery or
    invoice, and computing them from the attendances and leaves costs more than
    the rest of a confirmation's own checks. The cache is cleared, in every
    worker, when a calendar, one of its attendances or a global leave changes
    (``sales.registry.cache.mixin``)."""

    _name = "resource.calendar"
    _inherit = ["resource.calendar", "sales.registry.cache.mixin"]

    def _sales_work_intervals(self, low, high, min_days=0):
        """``(starts, ends, cumulated)``: the work intervals (global leaves deducted)
        of this calendar in naive UTC, sorted, covering at least ``low`` to ``high`` +
        ``min_days`` (naive UTC); ``cumulated[i]``: the working hours of the intervals
        before interval ``i``. Read from a window aligned on Mondays and four-week
        blocks, computed once per process while the calendar does not change; do
        not modify the tuples returned."""
        self.ensure_one()
        begin = datetime.combine(low.date() - timedelta(days=low.weekday()), time.min)
        blocks = int((high + timedelta(days=min_days) - begin) / WINDOW_BLOCK) + 1
        return self._sales_work_intervals_window(begin, begin + blocks * WINDOW_BLOCK)

    @tools.ormcache("self.id", "begin", "finish")
    def _sales_work_intervals_window(self, begin, finish):
        intervals = self.sudo()._work_intervals_batch(begin.replace(tzinfo=pytz.utc), finish.replace(tzinfo=pytz.utc))[
            False
        ]
        pairs = sorted(
            (start.astimezone(pytz.utc).replace(tzinfo=None), stop.astimezone(pytz.utc).replace(tzinfo=None))
            for start, stop, _meta in intervals
        )
        cumulated = [0.0]
        for start, stop in pairs:
            cumulated.append(cumulated[-1] + (stop - start).total_seconds() / 3600)
        return tuple(start for start, _stop in pairs), tuple(stop for _start, stop in pairs), tuple(cumulated)
