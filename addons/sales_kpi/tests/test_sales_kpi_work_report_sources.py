# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime

from odoo.tests import tagged

from .common import SalesKpiCommon


@tagged("post_install", "-at_install")
class TestSalesKpiWorkReportSources(SalesKpiCommon):
    """The work-report KPIs read sales_team_mgmt's work reports by the month
    their period starts: the on-time rate of the submitted ones, the average
    score rate of the reviewed ones, by salesperson or team (covering its
    sub-teams), in a number of queries that does not grow with the owners."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Report = cls.env["sales.work.report"].sudo()
        item = cls.env.ref("sales_team_mgmt.rubric_item_weekly_summary")
        for user, team, day, submitted, on_time, score in (
            (cls.u1, cls.east, date(2025, 3, 3), True, True, 8),  # reviewed 80 %
            (cls.u1, cls.east, date(2025, 3, 10), True, False, 5),  # reviewed 50 %
            (cls.u1, cls.east, date(2025, 3, 17), True, True, None),  # submitted, not reviewed
            (cls.u1, cls.east, date(2025, 3, 24), False, False, None),  # draft: not counted
            (cls.u1, cls.east, date(2025, 3, 31), True, True, None),  # starts in March, ends in April
            (cls.u2, cls.east, date(2025, 3, 3), True, False, 10),  # reviewed 100 %
            (cls.u3, cls.west, date(2025, 4, 7), True, True, 6),  # reviewed 60 %
        ):
            report = Report.create(
                {
                    "user_id": user.id,
                    "team_id": team.id,
                    "report_type": "weekly",
                    "date": day,
                    "company_id": cls.company_a.id,
                }
            )
            if submitted:
                report.write({"submitted_date": datetime.combine(day, datetime.min.time()), "on_time": on_time})
            if score is not None:
                cls.env["sales.work.report.score"].sudo().create(
                    {"report_id": report.id, "item_id": item.id, "points": 10, "score": score}
                )
                report.write({"approval_state": "approved"})
        Kpi = cls.env["sales.kpi"]
        cls.kpis = {
            source: Kpi.create({"code": f"KPIT_{source.upper()}", "name": source, "source": source})
            for source in ("report_on_time_rate", "report_score_rate")
        }

    def _values(self, kpi, owner_type, owners, periods):
        rows = kpi.compute_values(owner_type, owners.ids, periods)
        return {(row["owner_id"], row["period"]): row["value"] for row in rows}

    def test_units(self):
        self.assertEqual([kpi.unit for kpi in self.kpis.values()], ["percent", "percent"])

    def test_on_time_rate(self):
        kpi = self.kpis["report_on_time_rate"]
        users = self.u1 | self.u2 | self.u3
        # u1 in March: 4 submitted (the one of 31 March included), 3 on time
        self.assertEqual(
            self._values(kpi, "user", users, ["2025-03", "2025-04"]),
            {
                (self.u1.id, "2025-03"): 75.0,
                (self.u1.id, "2025-04"): 0.0,  # the week of 31 March counts in March
                (self.u2.id, "2025-03"): 0.0,
                (self.u2.id, "2025-04"): 0.0,
                (self.u3.id, "2025-03"): 0.0,
                (self.u3.id, "2025-04"): 100.0,
            },
        )
        # North covers East and West: 6 submitted in 2025, 4 on time
        self.assertEqual(
            self._values(kpi, "team", self.north, ["2025"]),
            {(self.north.id, "2025"): 66.6667},
        )

    def test_score_rate(self):
        kpi = self.kpis["report_score_rate"]
        users = self.u1 | self.u2 | self.u3
        self.assertEqual(
            self._values(kpi, "user", users, ["2025-03", "2025-04"]),
            {
                (self.u1.id, "2025-03"): 65.0,
                (self.u1.id, "2025-04"): 0.0,
                (self.u2.id, "2025-03"): 100.0,
                (self.u2.id, "2025-04"): 0.0,
                (self.u3.id, "2025-03"): 0.0,
                (self.u3.id, "2025-04"): 60.0,
            },
        )
        self.assertEqual(self._values(kpi, "team", self.east, ["2025-Q1"]), {(self.east.id, "2025-Q1"): 76.6667})
        self.assertEqual(self._values(kpi, "team", self.north, ["2025"]), {(self.north.id, "2025"): 72.5})

    def test_queries_do_not_grow_with_the_owners(self):
        for kpi in self.kpis.values():
            counts = []
            kpi.compute_values("user", self.u2.ids, ["2025-01"])  # warm the caches
            for users in (self.u1, self.u1 | self.u2 | self.u3 | self.u4):
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                kpi.compute_values("user", users.ids, ["2025-01", "2025-02", "2025-03"])
                counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(counts[0], counts[1], kpi.source)
