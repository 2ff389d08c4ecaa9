# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class ResourceCalendarAttendance(models.Model):
    """A calendar's working hours: their change clears the cached work intervals
    (``resource.calendar._sales_work_intervals``)."""

    _name = "resource.calendar.attendance"
    _inherit = ["resource.calendar.attendance", "sales.registry.cache.mixin"]
