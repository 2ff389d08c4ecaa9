# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class ResourceCalendarLeaves(models.Model):
    """Leaves: a global one (no resource: a public holiday, a company closure)
    changes the calendars' work intervals and clears their cache
    (``resource.calendar._sales_work_intervals``); a person's time off does not."""

    _name = "resource.calendar.leaves"
    _inherit = ["resource.calendar.leaves", "sales.registry.cache.mixin"]

    def _registry_cache_concerned(self):
        return any(not leave.resource_id for leave in self)
