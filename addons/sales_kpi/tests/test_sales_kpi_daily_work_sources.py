# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime

from odoo.tests import tagged

from .common import SalesKpiCommon


@tagged("post_install", "-at_install")
class TestSalesKpiDailyWorkSources(SalesKpiCommon):
    """The complaint and visit KPIs read sales_team_mgmt's complaints and
    visits: by salesperson or team (covering its sub-teams) and month, in a
    number of queries that does not grow with the owners. Complaints: rejected
    ones excepted, all or one category. Visits: the done ones, by the month
    they were done; success rate; phone calls and their minutes."""

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

    @classmethod
    def _visit_kpis(cls):
        Kpi = cls.env["sales.kpi"]
        Visit = cls.env["sales.visit"]
        for user, team, kind, day, minutes, success, state in (
            (cls.u1, cls.east, "visit", datetime(2025, 3, 3, 10), 60, True, "done"),
            (cls.u1, cls.east, "visit", datetime(2025, 3, 10, 10), 45, True, "done"),
            (cls.u1, cls.east, "call", datetime(2025, 3, 11, 10), 15, False, "done"),
            (cls.u1, cls.east, "visit", datetime(2025, 3, 20, 10), 0, False, "planned"),
            (cls.u2, cls.east, "call", datetime(2025, 3, 12, 10), 30, False, "done"),
            (cls.u3, cls.west, "meeting", datetime(2025, 4, 1, 10), 90, True, "done"),
        ):
            vals = {
                "partner_id": cls.c1.id,
                "user_id": user.id,
                "team_id": team.id,
                "visit_type": kind,
                "planned_date": day,
                "duration": minutes,
                "success": success,
            }
            if state == "done":
                vals["done_date"] = day
            Visit.create(vals)
        return {
            source: Kpi.create({"code": f"KPIT_{source.upper()}", "name": source, "source": source})
            for source in ("visits_done", "visit_success_rate", "calls", "call_minutes")
        }

    def test_visit_sources(self):
        kpis = self._visit_kpis()
        self.assertEqual(
            [kpis[s].unit for s in ("visits_done", "visit_success_rate", "calls", "call_minutes")],
            ["count", "percent", "count", "minutes"],
        )
        users = self.u1 | self.u2
        expected = {
            "visits_done": {(self.u1.id, "2025-03"): 3, (self.u2.id, "2025-03"): 1},
            "visit_success_rate": {(self.u1.id, "2025-03"): 66.6667, (self.u2.id, "2025-03"): 0},
            "calls": {(self.u1.id, "2025-03"): 1, (self.u2.id, "2025-03"): 1},
            "call_minutes": {(self.u1.id, "2025-03"): 15, (self.u2.id, "2025-03"): 30},
        }
        for source, values in expected.items():
            self.assertEqual(self._values(kpis[source], "user", users, ["2025-03"]), values, source)
        # North (East and West): 4 done in the first quarter (2 successful), 1 in the second (successful)
        values = self._values(kpis["visit_success_rate"], "team", self.north, ["2025-Q1", "2025-Q2"])
        self.assertEqual(values, {(self.north.id, "2025-Q1"): 50.0, (self.north.id, "2025-Q2"): 100.0})
        self.assertEqual(self._values(kpis["visits_done"], "team", self.north, ["2025"]), {(self.north.id, "2025"): 5})

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

    def test_expense_source(self):
        Expense = self.env["sales.expense"].sudo()
        for user, team, day, amount, state in (
            (self.u1, self.east, date(2025, 3, 3), 800.0, "approved"),
            (self.u1, self.east, date(2025, 3, 28), 1200.5, "approved"),
            (self.u1, self.east, date(2025, 3, 29), 5000.0, "to_approve"),
            (self.u1, self.east, date(2025, 4, 1), 300.0, "approved"),
            (self.u2, self.east, date(2025, 3, 9), 450.0, "rejected"),
            (self.u3, self.west, date(2025, 3, 9), 999.0, "approved"),
            (self.u4, self.south, date(2025, 3, 9), 7000.0, "approved"),
        ):
            Expense.create(
                {"user_id": user.id, "team_id": team.id, "date": day, "amount": amount, "description": "test"}
            ).write({"state": state})
        kpi = self.env["sales.kpi"].create({"code": "KPIT_EXPENSES", "name": "Expenses", "source": "expenses"})
        self.assertEqual(kpi.unit, "amount")
        self.assertEqual(
            self._values(kpi, "user", self.u1 | self.u2, ["2025-03", "2025-Q2"]),
            {
                (self.u1.id, "2025-03"): 2000.5,
                (self.u1.id, "2025-Q2"): 300.0,
                (self.u2.id, "2025-03"): 0,
                (self.u2.id, "2025-Q2"): 0,
            },
        )
        # North covers East and West.
        self.assertEqual(self._values(kpi, "team", self.north, ["2025-03"]), {(self.north.id, "2025-03"): 2999.5})
