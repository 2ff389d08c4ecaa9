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

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        if not self._registry_cache_fields or self._registry_cache_fields.intersection(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
