# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from .common_scorecard import SalesScorecardCommon


class SalesPayCommon(SalesScorecardCommon):
    """The scorecard tree (common_scorecard) with pay: standard pay REP 10,000 and
    LEAD 20,000 from 2026-01-01; the LEAD formula reads the SC Completion line;
    the renewal team's rules (as the demo has them) for the REP role, on two
    KPIs of manual values (UNITS, PREMIUM) and an improper-language count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.payroll = new_test_user(
            cls.env, login="pay_t_payroll", groups="sales_team.group_sale_salesman,sales_kpi.group_sales_kpi_payroll"
        )
        Standard = cls.env["sales.pay.standard"]
        cls.std_rep = Standard.create({"role_id": cls.role_rep.id, "amount": 10000, "date_from": date(2026, 1, 1)})
        cls.std_lead = Standard.create({"role_id": cls.role_lead.id, "amount": 20000, "date_from": date(2026, 1, 1)})
        cls.formula_lead = cls.env["sales.pay.formula"].create(
            {"name": "Lead pay", "role_id": cls.role_lead.id, "completion_kpi_id": cls.kpi_completion.id}
        )
        Kpi = cls.env["sales.kpi"]
        cls.kpi_units = Kpi.create({"code": "PAYUNITS", "name": "Units", "source": "manual", "unit": "quantity"})
        cls.kpi_premium = Kpi.create({"code": "PAYPREM", "name": "Premium", "source": "manual", "unit": "amount"})
        cls.rules = cls._renewal_rules(cls.role_rep)

    @classmethod
    def _renewal_rules(cls, role, company=None):
        Rule = cls.env["sales.incentive.rule"]
        common = {"role_ids": [Command.set(role.ids)], "company_id": (company or cls.env.company).id}
        rows = {
            "calls": {
                "name": "Fewer than 30 calls or 50 call minutes on a working day",
                "period": "day",
                "measure": "calls",
                "operator": "<",
                "threshold": 30,
                "measure2": "call_minutes",
                "threshold2": 50,
                "amount_type": "fixed",
                "amount": -50,
            },
            "units_premium": {
                "name": "Fewer than 10 units or 30,000 premium",
                "measure": "kpi",
                "kpi_id": cls.kpi_units.id,
                "operator": "<",
                "threshold": 10,
                "measure2": "kpi",
                "kpi2_id": cls.kpi_premium.id,
                "threshold2": 30000,
                "amount": -200,
            },
            "premium_bonus": {
                "name": "Each full 30,000 premium above 30,000",
                "measure": "kpi",
                "kpi_id": cls.kpi_premium.id,
                "operator": ">=",
                "threshold": 30000,
                "amount_type": "per_step",
                "step": 30000,
                "amount": 200,
            },
            "lateness": {
                "name": "Lateness or early leave",
                "period": "day",
                "measure": "lateness",
                "operator": ">=",
                "threshold": 1,
                "amount_type": "per_unit",
                "amount": -30,
                "escalate_from": 3,
                "escalated_amount": -50,
            },
            "language": {
                "name": "Improper language complaint",
                "measure": "complaints",
                "complaint_category": "improper_language",
                "operator": ">=",
                "threshold": 1,
                "amount_type": "per_unit",
                "amount": -100,
            },
        }
        return {code: Rule.create(dict(common, **vals)) for code, vals in rows.items()}

    @classmethod
    def _values(cls, user, month, units, premium):
        Value = cls.env["sales.kpi.manual.value"]
        for kpi, value in ((cls.kpi_units, units), (cls.kpi_premium, premium)):
            existing = Value.search([("kpi_id", "=", kpi.id), ("user_id", "=", user.id), ("month", "=", month)])
            if existing:
                existing.value = value
            else:
                Value.create({"kpi_id": kpi.id, "month": month, "user_id": user.id, "value": value})

    def lock(self, month=None):
        cards = self.env["sales.scorecard"].search([("month", "=", f"{month or self.MONTH}-01")])
        cards.sudo().write({"state": "approved"})
        return cards

    def run_month(self, month=None, user=None):
        result = self.env["sales.pay.run"].with_user(user or self.payroll).compute_month(month or self.MONTH)
        return self.env["sales.pay.run"].browse(result["run_id"]), result

    def lines(self, run, user, line_type=None):
        lines = run.line_ids.filtered(lambda line: line.user_id == user)
        return lines.filtered(lambda line: line.line_type == line_type) if line_type else lines
