# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date

from odoo.tests import tagged
from odoo.tools import formatLang

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestSalesKpiAllocationQueries(BaseCommon):
    """The allocation, a leader's re-split and Apply Proposals run the same
    number of queries for 10 members as for 200 (issue 21: the allocation
    wrote its lines one by one), and the set-based allocation stores what the
    ORM would (computed columns, parent paths)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi = cls.env["sales.kpi"].create(
            {"code": "KPIQ_SALES", "name": "Sales (queries)", "source": "sales", "unit": "amount"}
        )
        Team = cls.env["crm.team"]
        cls.plans = {}
        users = cls.env["res.users"].create([{"name": f"KPIQ Rep {i}", "login": f"kpiq_rep_{i}"} for i in range(210)])
        for size, members in ((10, users[:10]), (200, users[10:])):
            top = Team.create({"name": f"KPIQ Top {size}"})
            market = Team.create({"name": f"KPIQ Market {size}", "parent_id": top.id})
            regions = Team.create([{"name": f"KPIQ Region {size}.{i}", "parent_id": market.id} for i in range(2)])
            cls.env["crm.team.member"].create(
                [
                    {"crm_team_id": regions[i % 2].id, "user_id": user.id, "date_start": date(2025, 1, 1)}
                    for i, user in enumerate(members)
                ]
            )
            cls.plans[size] = cls.env["sales.kpi.target.plan"].create(
                {
                    "name": f"KPIQ plan {size}",
                    "kpi_id": cls.kpi.id,
                    "fiscal_year": 2026,
                    "root_team_id": top.id,
                    "root_value": 1_000_000.0,
                    "owner_method": "equal",
                    "period_method": "equal",
                }
            )

    def _year_line(self, plan, name):
        return plan.line_ids.filtered(
            lambda line: line.owner_type == "team" and line.team_id.name == name and line.period_type == "year"
        )

    def _queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_query_counts_do_not_grow_with_the_members(self):
        counts = {}
        # the first chatter note and amount formatting warm Odoo's caches (subtypes, language)
        self.plans[10]._message_log(body="warm-up")
        formatLang(self.env, 1.0)
        for size, plan in self.plans.items():
            allocate = self._queries(plan.action_allocate)
            self.assertEqual(len(plan.line_ids), (4 + size) * 17)
            market = self._year_line(plan, f"KPIQ Market {size}")
            resplit = self._queries(lambda market=market: market.write({"target": market.target - 1000.0}))
            region = self._year_line(plan, f"KPIQ Region {size}.0")
            kids = region.child_ids.filtered(lambda line: line.split_kind == "owner")
            for index, kid in enumerate(kids):
                kid.proposed_target = 100.0 * (index + 1)
            proposals = self._queries(region.action_apply_proposals)
            reallocate = self._queries(plan.action_allocate)
            counts[size] = (allocate, resplit, proposals, reallocate)
        self.assertEqual(counts[10], counts[200], "queries of (allocate, re-split, proposals, re-allocate)")
        # and they are few
        allocate, resplit, proposals, reallocate = counts[200]
        self.assertLessEqual(allocate, 40)
        self.assertLessEqual(resplit, 25)
        self.assertLessEqual(proposals, 25)

    def test_set_based_allocation_stores_what_the_orm_computes(self):
        plan = self.plans[10]
        plan.action_allocate()
        lines = plan.line_ids
        self.assertEqual(len(lines), 14 * 17)
        stored = {line.id: (line.period_label, line.split_kind, line.company_id, line.kpi_id) for line in lines}
        paths = {line.id: line.parent_path for line in lines}
        lines.invalidate_recordset(["period_label", "split_kind"])
        lines._compute_period_label()
        lines._compute_split_kind()
        for line in lines:
            self.assertEqual(
                stored[line.id], (line.period_label, line.split_kind, plan.company_id, plan.kpi_id), line.display_name
            )
            parent_path = paths[line.parent_id.id] if line.parent_id else ""
            self.assertEqual(paths[line.id], f"{parent_path}{line.id}/")
        # the tree serves child_of: the market's subtree is its 2 regions, the
        # 10 members and their quarters and months, and itself
        market = self._year_line(plan, "KPIQ Market 10")
        below = self.env["sales.kpi.target.line"].search([("id", "child_of", market.id)])
        self.assertEqual(len(below), 13 * 17)
        self.assertEqual(lines.mapped("create_uid"), self.env.user)
        self.assertEqual(plan.line_count, len(lines))
        self.assertEqual(
            sorted(set(lines.mapped("period_label"))),
            sorted(["2026", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"] + [f"2026-{m:02d}" for m in range(1, 13)]),
        )
