# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date

from odoo.tests import tagged

from .common import SalesKpiCommon


@tagged("post_install", "-at_install")
class TestSalesKpiComplaintSource(SalesKpiCommon):
    """The complaint KPIs read sales_team_mgmt's complaints: by salesperson or
    team (covering its sub-teams) and month, rejected ones excepted, all or one
    category, in a number of queries that does not grow with the owners."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Complaint = cls.env["sales.complaint"]
        for user, team, day, category in (
            (cls.u1, cls.east, date(2025, 3, 3), "quality"),
            (cls.u1, cls.east, date(2025, 3, 20), "improper_language"),
            (cls.u1, cls.east, date(2025, 4, 2), "quality"),
            (cls.u2, cls.east, date(2025, 3, 9), "delivery"),
            (cls.u3, cls.west, date(2025, 3, 9), "quality"),
            (cls.u4, cls.south, date(2025, 3, 9), "quality"),
        ):
            Complaint.create(
                {
                    "partner_id": cls.c1.id,
                    "user_id": user.id,
                    "team_id": team.id,
                    "date": day,
                    "category": category,
                    "description": "test",
                }
            )
        # found unfounded: does not count
        Complaint.create(
            {
                "partner_id": cls.c1.id,
                "user_id": cls.u1.id,
                "team_id": cls.east.id,
                "date": date(2025, 3, 25),
                "category": "quality",
                "description": "unfounded",
            }
        ).action_reject()
        Kpi = cls.env["sales.kpi"]
        cls.all_kpi = Kpi.create({"code": "KPIT_COMPLAINTS", "name": "Complaints", "source": "complaints"})
        cls.quality_kpi = Kpi.create(
            {"code": "KPIT_COMPLAINTS_Q", "name": "Quality complaints", "source": "complaints_quality"}
        )

    def _values(self, kpi, owner_type, owners, periods):
        rows = kpi.compute_values(owner_type, owners.ids, periods)
        return {(row["owner_id"], row["period"]): row["value"] for row in rows}

    def test_counts_by_salesperson_team_and_category(self):
        self.assertEqual(self.all_kpi.unit, "count")
        users = self.u1 | self.u2 | self.u3
        self.assertEqual(
            self._values(self.all_kpi, "user", users, ["2025-03", "2025-04", "2025-Q1"]),
            {
                (self.u1.id, "2025-03"): 2,
                (self.u1.id, "2025-04"): 1,
                (self.u1.id, "2025-Q1"): 2,
                (self.u2.id, "2025-03"): 1,
                (self.u2.id, "2025-04"): 0,
                (self.u2.id, "2025-Q1"): 1,
                (self.u3.id, "2025-03"): 1,
                (self.u3.id, "2025-04"): 0,
                (self.u3.id, "2025-Q1"): 1,
            },
        )
        # North covers East and West; Top everything
        teams = self.north | self.east | self.top
        self.assertEqual(
            self._values(self.quality_kpi, "team", teams, ["2025-03"]),
            {(self.north.id, "2025-03"): 2, (self.east.id, "2025-03"): 1, (self.top.id, "2025-03"): 3},
        )

    def test_queries_do_not_grow_with_the_owners(self):
        counts = []
        self.all_kpi.compute_values("user", self.u2.ids, ["2025-01"])  # warm the caches
        for users in (self.u1, self.u1 | self.u2 | self.u3 | self.u4):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.all_kpi.compute_values("user", users.ids, ["2025-01", "2025-02", "2025-03"])
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
