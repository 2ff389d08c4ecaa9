# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class SalesKpi(models.Model):
    """A KPI source added by override alone: the orders held by the embargo check,
    by salesperson (or team) and month."""

    _inherit = "sales.kpi"

    @api.model
    def _get_kpi_sources(self):
        return dict(
            super()._get_kpi_sources(),
            seams_embargo_holds=self._kpi_source(self.env._("Embargo Holds"), "count", "_source_seams_embargo_holds"),
        )

    def _source_seams_embargo_holds(self, kpi, owner_type, owner_ids, periods):
        return self._records_source(
            kpi,
            owner_type,
            owner_ids,
            periods,
            "sale.order",
            [("seams_embargo_hold", "=", True)],
            date_field="date_order",
            user_field="user_id",
            team_field="team_id",
        )
