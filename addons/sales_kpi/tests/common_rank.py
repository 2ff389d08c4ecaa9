# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date

from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class SalesRankCommon(BaseCommon):
    """Company A, team tree: SLT (vp) -> Market M (leader mm) -> Unit U (leader
    um) with reps r1, r2, r3; um is a member of the market. Ladder "Career":
    REP (role REP) -> KAM (role KAM; 10,000 a month in 3 of 4 months) -> MM (no
    role; 20,000 in 2 of 3 months, 2 direct subordinates at KAM or above,
    average score 80). Everyone holds REP since 2025-01-01 but um, at KAM.
    Facts are written straight into the fact table (``fact``)."""

    MONTH = "2026-04"
    FIRST = date(2026, 4, 1)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        salesman = "sales_team.group_sale_salesman"
        leader = f"{salesman},sales_team_mgmt.group_sales_team_mgmt_hierarchy"
        cls.vp = new_test_user(cls.env, login="rk_t_vp", groups=leader)
        cls.mm = new_test_user(cls.env, login="rk_t_mm", groups=leader)
        cls.um = new_test_user(cls.env, login="rk_t_um", groups=leader)
        cls.r1 = new_test_user(cls.env, login="rk_t_r1", groups=salesman)
        cls.r2 = new_test_user(cls.env, login="rk_t_r2", groups=salesman)
        cls.r3 = new_test_user(cls.env, login="rk_t_r3", groups=salesman)
        cls.hr = new_test_user(cls.env, login="rk_t_hr", groups=f"{salesman},hr.group_hr_manager")
        Team = cls.env["crm.team"]
        Team.search([("company_id", "in", [cls.company.id, False])]).action_archive()
        # Only this ladder's members are evaluated (independent of other data).
        cls.env["sales.rank.ladder"].search([]).action_archive()
        cls.slt = Team.create({"name": "RK SLT", "team_type": "slt", "user_id": cls.vp.id})
        cls.market = Team.create(
            {"name": "RK Market", "team_type": "market", "parent_id": cls.slt.id, "user_id": cls.mm.id}
        )
        cls.unit = Team.create(
            {"name": "RK Unit", "team_type": "unit", "parent_id": cls.market.id, "user_id": cls.um.id}
        )
        Role = cls.env["sales.role"]
        cls.role_rep = Role.create({"name": "RK Rep", "code": "RKREP"})
        cls.role_kam = Role.create({"name": "RK KAM", "code": "RKKAM"})
        Member = cls.env["crm.team.member"]
        start = date(2025, 1, 1)
        cls.members = Member.create(
            [
                {"crm_team_id": team.id, "user_id": user.id, "role_id": role.id, "date_start": start}
                for team, user, role in (
                    (cls.unit, cls.r1, cls.role_rep),
                    (cls.unit, cls.r2, cls.role_rep),
                    (cls.unit, cls.r3, cls.role_rep),
                    (cls.market, cls.um, cls.role_kam),
                )
            ]
        )
        cls.member = {member.user_id: member for member in cls.members}
        cls.ladder = cls.env["sales.rank.ladder"].create({"name": "RK Career"})
        Rank = cls.env["sales.rank"]
        cls.rank_rep = Rank.create(
            {"ladder_id": cls.ladder.id, "sequence": 1, "code": "REP", "name": "Rep", "role_id": cls.role_rep.id}
        )
        cls.rank_kam = Rank.create(
            {
                "ladder_id": cls.ladder.id,
                "sequence": 2,
                "code": "KAM",
                "name": "KAM",
                "role_id": cls.role_kam.id,
                "sales_threshold": 10000,
                "months_required": 3,
                "window_months": 4,
                "bonus_rate": 15,
            }
        )
        cls.rank_mm = Rank.create(
            {
                "ladder_id": cls.ladder.id,
                "sequence": 3,
                "code": "MM",
                "name": "MM",
                "sales_threshold": 20000,
                "months_required": 2,
                "window_months": 3,
                "min_subordinates": 2,
                "subordinate_rank_id": cls.rank_kam.id,
                "min_average_score": 80,
                "bonus_rate": 20,
            }
        )
        History = cls.env["sales.rank.history"]
        cls.histories = History.create(
            [
                {
                    "user_id": user.id,
                    "rank_id": (cls.rank_kam if user == cls.um else cls.rank_rep).id,
                    "member_id": cls.member[user].id,
                    "team_id": cls.member[user].crm_team_id.id,
                    "date_start": start,
                }
                for user in (cls.r1, cls.r2, cls.r3, cls.um)
            ]
        )
        cls.history = {row.user_id: row for row in cls.histories}

    def fact(self, user, month, amount, team=None):
        """A fact row of ``user``'s confirmed sales in ``month`` ("YYYY-MM")."""
        self.env["sales.kpi.fact"].flush_model()
        self.env.cr.execute(
            """
            INSERT INTO sales_kpi_fact (company_id, month, team_id, user_id, amount_sale)
            VALUES (%s, %s, %s, %s, %s)
            ON CONFLICT (month, partner_id, categ_id, user_id, team_id, company_id)
            DO UPDATE SET amount_sale = sales_kpi_fact.amount_sale + EXCLUDED.amount_sale
            """,
            [self.company.id, f"{month}-01", (team or self.unit).id, user.id, amount],
        )
        self.env["sales.kpi.fact"].invalidate_model()

    def evaluate(self, month=None, user=None):
        Proposal = self.env["sales.promotion.proposal"].with_user(user or self.hr)
        return Proposal.evaluate_month(month or self.MONTH)

    def proposal(self, user, kind="promotion", month=None):
        return self.env["sales.promotion.proposal"].search(
            [("user_id", "=", user.id), ("kind", "=", kind), ("month", "=", f"{month or self.MONTH}-01")]
        )

    def score(self, user, month, value):
        """A scorecard of ``user`` for ``month`` whose monthly score is ``value``
        (attendance only: 100 less one point per absent day)."""
        template = self.env["sales.scorecard.template"].search([("name", "=", "RK Attendance")])
        if not template:
            template = self.env["sales.scorecard.template"].create(
                {
                    "name": "RK Attendance",
                    "kpi_weight": 0,
                    "daily_work_weight": 0,
                    "attendance_weight": 100,
                    "absence_penalty": 1,
                }
            )
        card = (
            self.env["sales.scorecard"]
            .sudo()
            .create(
                {
                    "member_id": self.member[user].id,
                    "user_id": user.id,
                    "team_id": self.member[user].crm_team_id.id,
                    "template_id": template.id,
                    "month": f"{month}-01",
                    "attendance_weight": 100,
                    "absence_penalty": 1,
                    "absent_days": 100 - value,
                }
            )
        )
        self.assertEqual(card.score, value)
        return card
