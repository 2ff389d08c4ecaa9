# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class SalesRegistryCacheMixin(models.AbstractModel):
    """Clears the registry's caches (``ormcache``, record rule domains) when records
    that cached values are computed from change: on every create and unlink, and on
    writes of ``_registry_cache_fields`` (every write when it is empty). Rarely
    changed configuration only: each clearing is signalled to every worker."""

    _name = "sales.registry.cache.mixin"
    _description = "Registry Cache Clearing Mixin"

    # Fields whose change alters cached values; empty: any field.
    _registry_cache_fields = frozenset()

    def _registry_cache_concerned(self):
        """Whether these records are of those the cached values are computed from
        (all by default; e.g. only the global leaves of calendars)."""
        return bool(self)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if records._registry_cache_concerned():
            self.env.registry.clear_cache()
        return records

    def write(self, vals):
        if self._registry_cache_fields and not self._registry_cache_fields.intersection(vals):
            return super().write(vals)
        concerned = self._registry_cache_concerned()
        res = super().write(vals)
        if concerned or self._registry_cache_concerned():
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        concerned = self._registry_cache_concerned()
        res = super().unlink()
        if concerned:
            self.env.registry.clear_cache()
        return res
