# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class SalesScorecardCommon(BaseCommon):
    """Company A, team tree: SLT (vp) -> Market M (leader mm) -> Unit U (leader um)
    with reps r1, r2 and r3 (r3 never logged in), and Unit V (leader um2) with
    rep r4. Roles: REP (rep template: daily-work rubric 40 + 60 points x 70 % +
    attendance x 30 %) and LEAD (leader template: KPI x 70 % + attendance x 30 %,
    KPI lines on manual KPIs: completion 50 %, complaints (lower is better) 30 %,
    growth 20 % gated on completion >= 80)."""

    MONTH = "2026-03"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.scorecard_late_tolerance = 5
        salesman = "sales_team.group_sale_salesman"
        leader = f"{salesman},sales_team_mgmt.group_sales_team_mgmt_hierarchy"
        cls.vp = new_test_user(cls.env, login="sc_t_vp", groups=leader)
        cls.mm = new_test_user(cls.env, login="sc_t_mm", groups=leader)
        cls.um = new_test_user(cls.env, login="sc_t_um", groups=leader)
        cls.um2 = new_test_user(cls.env, login="sc_t_um2", groups=leader)
        cls.r1 = new_test_user(cls.env, login="sc_t_r1", groups=salesman)
        cls.r2 = new_test_user(cls.env, login="sc_t_r2", groups=salesman)
        cls.r3 = new_test_user(cls.env, login="sc_t_r3", groups=salesman)
        cls.r4 = new_test_user(cls.env, login="sc_t_r4", groups=salesman)
        cls.planner = new_test_user(
            cls.env, login="sc_t_planner", groups=f"{salesman},sales_kpi.group_sales_kpi_manager"
        )
        cls.hr = new_test_user(cls.env, login="sc_t_hr", groups=f"{salesman},hr.group_hr_manager")
        Team = cls.env["crm.team"]
        # Only this tree's members are scored (independent of other data).
        Team.search([("company_id", "in", [cls.company.id, False])]).action_archive()
        cls.slt = Team.create({"name": "SC SLT", "team_type": "slt", "user_id": cls.vp.id})
        cls.market = Team.create(
            {"name": "SC Market", "team_type": "market", "parent_id": cls.slt.id, "user_id": cls.mm.id}
        )
        cls.unit = Team.create(
            {"name": "SC Unit U", "team_type": "unit", "parent_id": cls.market.id, "user_id": cls.um.id}
        )
        cls.unit_v = Team.create(
            {"name": "SC Unit V", "team_type": "unit", "parent_id": cls.market.id, "user_id": cls.um2.id}
        )
        Role = cls.env["sales.role"]
        cls.role_rep = Role.create({"name": "SC Rep", "code": "SCREP"})
        cls.role_lead = Role.create({"name": "SC Lead", "code": "SCLEAD"})
        Member = cls.env["crm.team.member"]
        rows = [
            (cls.unit, cls.r1, cls.role_rep),
            (cls.unit, cls.r2, cls.role_rep),
            (cls.unit, cls.r3, cls.role_rep),
            (cls.unit_v, cls.r4, cls.role_rep),
            (cls.market, cls.um, cls.role_lead),
            (cls.market, cls.um2, cls.role_lead),
        ]
        cls.members = Member.create(
            [
                {"crm_team_id": team.id, "user_id": user.id, "role_id": role.id, "date_start": date(2026, 1, 1)}
                for team, user, role in rows
            ]
        )
        cls.member = {member.user_id: member for member in cls.members}
        Kpi = cls.env["sales.kpi"]
        cls.kpi_completion = Kpi.create(
            {"code": "SCCOMP", "name": "SC Completion", "source": "manual", "unit": "percent"}
        )
        cls.kpi_complaints = Kpi.create(
            {"code": "SCCMPL", "name": "SC Complaints", "source": "manual", "unit": "count", "direction": "lower"}
        )
        cls.kpi_growth = Kpi.create({"code": "SCGROW", "name": "SC Growth", "source": "manual", "unit": "percent"})
        Template = cls.env["sales.scorecard.template"]
        cls.template_rep = Template.create(
            {
                "name": "SC Rep",
                "role_id": cls.role_rep.id,
                "daily_work_weight": 70,
                "attendance_weight": 30,
                "line_ids": [
                    Command.create({"line_type": "rubric", "name": "Weekly report", "points": 40}),
                    Command.create({"line_type": "rubric", "name": "Dealer management", "points": 60}),
                ],
            }
        )
        cls.template_lead = Template.create(
            {
                "name": "SC Lead",
                "role_id": cls.role_lead.id,
                "kpi_weight": 70,
                "daily_work_weight": 0,
                "attendance_weight": 30,
                "line_ids": [
                    Command.create(cls._kpi_line(cls.kpi_completion, 50, 80, 100, 120, cap=120)),
                    Command.create(cls._kpi_line(cls.kpi_complaints, 30, 5, 2, 0, cap=110)),
                    Command.create(
                        dict(
                            cls._kpi_line(cls.kpi_growth, 20, 0, 10, 20, cap=150),
                            gate_kpi_id=cls.kpi_completion.id,
                            gate_min=80,
                            gate_score_max=0,
                        )
                    ),
                ],
            }
        )
        Value = cls.env["sales.kpi.manual.value"]
        for user, completion, complaints, growth in ((cls.um, 90, 3, 15), (cls.um2, 70, 6, 15)):
            for kpi, value in (
                (cls.kpi_completion, completion),
                (cls.kpi_complaints, complaints),
                (cls.kpi_growth, growth),
            ):
                Value.create({"kpi_id": kpi.id, "month": date(2026, 3, 1), "user_id": user.id, "value": value})

    @classmethod
    def _kpi_line(cls, kpi, weight, threshold, target, stretch, floor=0, cap=100):
        return {
            "line_type": "kpi",
            "kpi_id": kpi.id,
            "weight": weight,
            "threshold": threshold,
            "target": target,
            "stretch": stretch,
            "floor_score": floor,
            "cap_score": cap,
        }

    def generate(self, month=None, user=None):
        Scorecard = self.env["sales.scorecard"].with_user(user or self.planner)
        return Scorecard.generate_month(month or self.MONTH)

    def card(self, user, month=None):
        """The scorecard of ``user`` for ``month`` (default ``MONTH``)."""
        return self.env["sales.scorecard"].search(
            [("user_id", "=", user.id), ("month", "=", f"{month or self.MONTH}-01")]
        )
