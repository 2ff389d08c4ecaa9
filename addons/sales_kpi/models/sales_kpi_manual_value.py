# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesKpiManualValue(models.Model):
    """A value of a manual KPI, entered by the manager for a salesperson or a
    team and a month."""

    _name = "sales.kpi.manual.value"
    _description = "Sales KPI Manual Value"
    _order = "month desc, kpi_id, id"
    _check_company_auto = True
    _sql_constraints = [
        (
            "owner_month_uniq",
            "UNIQUE NULLS NOT DISTINCT (kpi_id, month, user_id, team_id)",
            "There is already a value of this KPI for this owner and month.",
        ),
        (
            "one_owner",
            "CHECK((user_id IS NULL) != (team_id IS NULL))",
            "A manual value belongs to a salesperson or to a team, not both.",
        ),
    ]

    kpi_id = fields.Many2one(
        "sales.kpi",
        string="KPI",
        required=True,
        ondelete="cascade",
        check_company=True,
        domain="[('source', '=', 'manual')]",
    )
    company_id = fields.Many2one(related="kpi_id.company_id", store=True, index=True)
    month = fields.Date(required=True, index=True, help="Any day of the month; stored as its first day.")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    team_id = fields.Many2one("crm.team", index=True, check_company=True)
    value = fields.Float(required=True)
    note = fields.Char()

    @api.constrains("kpi_id")
    def _check_manual_kpi(self):
        for record in self:
            if record.kpi_id.source != "manual":
                raise ValidationError(
                    self.env._(
                        "Values can only be entered for manual KPIs; %(kpi)s is computed.",
                        kpi=record.kpi_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._sales_check_input(vals_list)  # before the months are read below
        for vals in vals_list:
            if vals.get("month"):
                vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
        return super().create(vals_list)

    def write(self, vals):
        self._sales_check_input([vals])
        if vals.get("month"):
            vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
        return super().write(vals)
