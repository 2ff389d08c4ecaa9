# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from .common_scorecard import SalesScorecardCommon


@tagged("post_install", "-at_install")
class TestSalesScorecard(SalesScorecardCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # r1's calendar: Monday to Friday, 8-12 (morning) and 13-17 (afternoon), UTC.
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "SC 40h",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for period, start, end in (("morning", 8, 12), ("afternoon", 13, 17))
                ],
            }
        )
        cls.employee = cls.env["hr.employee"].create(
            {"name": "SC r1", "user_id": cls.r1.id, "resource_calendar_id": cls.calendar.id, "tz": "UTC"}
        )
        Leave = cls.env["resource.calendar.leaves"]
        # A public holiday (Tuesday 10 March) and an approved leave (Wednesday 11 March).
        Leave.create(
            {
                "name": "SC holiday",
                "calendar_id": cls.calendar.id,
                "date_from": datetime(2026, 3, 10, 0, 0),
                "date_to": datetime(2026, 3, 10, 23, 59),
            }
        )
        Leave.create(
            {
                "name": "SC leave",
                "calendar_id": cls.calendar.id,
                "resource_id": cls.employee.resource_id.id,
                "date_from": datetime(2026, 3, 11, 0, 0),
                "date_to": datetime(2026, 3, 11, 23, 59),
                "time_type": "leave",
            }
        )
        # Attendances of March 2026 (22 weekdays): present 8-17 every working day
        # except 12 March (morning only: a half day), 13 March (a technical absence
        # attendance only), 18 March (nothing); 16 March in at 8:05 (at the
        # tolerance: on time), 17 March at 8:06 (late); a Saturday (7 March) does
        # not count. Scheduled 20 days (22 - holiday - leave), absent 3, late 1:
        # attendance 100 - 3 x 4 = 88.
        vals = []
        for day in range(1, 32):
            when = date(2026, 3, day)
            if when.weekday() >= 5 or day in (10, 11, 13, 18):
                continue
            start = datetime(2026, 3, day, 8, 0)
            end = datetime(2026, 3, day, 17, 0)
            if day == 12:
                end = datetime(2026, 3, day, 12, 0)
            elif day == 16:
                start = datetime(2026, 3, day, 8, 5)
            elif day == 17:
                start = datetime(2026, 3, day, 8, 6)
            vals.append({"employee_id": cls.employee.id, "check_in": start, "check_out": end})
        vals.append(
            {
                "employee_id": cls.employee.id,
                "check_in": datetime(2026, 3, 7, 9, 0),
                "check_out": datetime(2026, 3, 7, 12, 0),
            }
        )
        vals.append(
            {
                "employee_id": cls.employee.id,
                "check_in": datetime(2026, 3, 13, 8, 0),
                "check_out": datetime(2026, 3, 13, 8, 0, 1),
                "in_mode": "technical",
                "out_mode": "technical",
            }
        )
        cls.env["hr.attendance"].create(vals)

    def test_attendance_hand_computed(self):
        figures = self.env["sales.scorecard.attendance"]._sales_attendance_figures(
            [self.r1.id, self.r2.id], date(2026, 3, 1), date(2026, 3, 31)
        )
        self.assertEqual(
            figures[self.r1.id], {"measured": True, "scheduled_days": 20, "absent_days": 3, "late_count": 1}
        )
        # r2 has no employee: not measured, nothing absent.
        self.assertEqual(
            figures[self.r2.id], {"measured": False, "scheduled_days": 0, "absent_days": 0, "late_count": 0}
        )

    def test_late_tolerance_boundary(self):
        self.company.scorecard_late_tolerance = 6
        figures = self.env["sales.scorecard.attendance"]._sales_attendance_figures(
            [self.r1.id], date(2026, 3, 1), date(2026, 3, 31)
        )
        self.assertEqual(figures[self.r1.id]["late_count"], 0)

    def test_attendance_kpi_sources(self):
        Kpi = self.env["sales.kpi"]
        attendance = Kpi.create({"code": "SCATT", "name": "SC Attendance", "source": "attendance_score"})
        late = Kpi.create({"code": "SCLATE", "name": "SC Late", "source": "late_count", "direction": "lower"})
        rows = (attendance | late).compute_values("user", [self.r1.id], ["2026-03"])
        self.assertEqual([row["value"] for row in rows], [88.0, 1.0])

    def test_generate_every_member_once(self):
        self.assertFalse(self.r3.login_date)  # r3 never logged in
        result = self.generate()
        cards = self.env["sales.scorecard"].browse(result["scorecard_ids"])
        ours = cards.filtered(lambda c: c.member_id in self.members)
        self.assertEqual(ours.member_id, self.members)
        self.assertEqual(len(ours), 6)
        again = self.generate()
        self.assertEqual(again["created"], 0)
        self.assertEqual(again["recomputed"], result["created"])
        self.assertEqual(self.env["sales.scorecard"].search_count([("member_id", "in", self.members.ids)]), 6)
        self.assertRecordValues(
            self.card(self.r1),
            [
                {
                    "state": "draft",
                    "team_id": self.unit.id,
                    "market_id": self.market.id,
                    "template_id": self.template_rep.id,
                    "scheduled_days": 20,
                    "absent_days": 3,
                    "late_count": 1,
                    "attendance_score": 88.0,
                    "daily_work_score": 0.0,
                    "score": 26.4,
                }
            ],
        )

    def test_daily_cron_makes_the_month_and_refreshes_the_open_previous_one(self):
        self.generate()  # March
        in_review = self.card(self.r1)
        in_review.with_user(self.um).action_submit()
        self.assertEqual(in_review.state, "to_approve")
        um_march = self.card(self.um)
        self.assertEqual(um_march.state, "draft")
        old_score = um_march.score
        # A late correction of March: um's completion rises from 90 to 120.
        self.env["sales.kpi.manual.value"].search(
            [("kpi_id", "=", self.kpi_completion.id), ("user_id", "=", self.um.id)]
        ).value = 120
        r1_score = in_review.score
        with freeze_time("2026-04-03 08:00:00"):
            self.env["sales.scorecard"]._cron_generate_scorecards()
        april = self.env["sales.scorecard"].search(
            [("member_id", "in", self.members.ids), ("month", "=", "2026-04-01")]
        )
        self.assertEqual(april.member_id, self.members, "the current month's scorecards are made for every member")
        self.assertEqual(set(april.mapped("state")), {"draft"})
        self.assertGreater(um_march.score, old_score, "a computed scorecard of the previous month is refreshed")
        self.assertEqual(in_review.state, "to_approve")
        self.assertEqual(in_review.score, r1_score, "a scorecard in review is left as its reviewer sees it")
        # A second run the same day creates nothing more.
        with freeze_time("2026-04-03 09:00:00"):
            self.env["sales.scorecard"]._cron_generate_scorecards()
        self.assertEqual(
            self.env["sales.scorecard"].search_count(
                [("member_id", "in", self.members.ids), ("month", "=", "2026-04-01")]
            ),
            6,
        )

    def test_leader_kpi_lines_and_gate(self):
        self.generate()
        card = self.card(self.um)
        lines = card.kpi_line_ids
        # Completion 90: 100 x 10 / 20 = 50, x 50 % = 25; complaints 3 (lower is
        # better, 5 -> 2): 100 x 2 / 3 = 66.67, x 30 % = 20; growth 15, gate
        # completion 90 >= 80 passed: 100 + 50 x 5 / 10 = 125, x 20 % = 25.
        self.assertEqual(lines.mapped("actual"), [90.0, 3.0, 15.0])
        self.assertEqual([round(s, 2) for s in lines.mapped("score")], [50.0, 66.67, 125.0])
        self.assertEqual(lines.mapped("gate_passed"), [True, True, True])
        self.assertAlmostEqual(card.kpi_score, 70.0, places=2)
        # 70 x 70 % + attendance 100 (no employee) x 30 % = 79.
        self.assertEqual(card.score, 79.0)
        # um2: completion 70 -> 0; complaints 6 -> 0; growth 15, gate failed -> 0.
        card2 = self.card(self.um2)
        self.assertEqual(card2.kpi_line_ids.mapped("score"), [0.0, 0.0, 0.0])
        self.assertEqual(card2.kpi_line_ids.mapped("gate_passed"), [True, True, False])
        self.assertEqual(card2.score, 30.0)

    def test_rubric_score_rank_and_annual(self):
        self.generate("2026-02")
        self.generate()
        card = self.card(self.r1)
        weekly, dealers = card.rubric_line_ids
        weekly.with_user(self.um).rubric_score = 30
        dealers.with_user(self.um).rubric_score = 45
        # daily work 75 x 70 % + attendance 88 x 30 % = 52.5 + 26.4
        self.assertEqual(card.daily_work_score, 75.0)
        self.assertEqual(card.score, 78.9)
        cards = {user: self.card(user) for user in (self.r1, self.r2, self.r3, self.r4, self.um, self.um2)}
        self.env["sales.scorecard"].invalidate_model(["rank_team", "rank_market"])
        self.assertEqual([cards[u].rank_team for u in (self.r1, self.r2, self.r3)], [1, 2, 2])
        self.assertEqual(cards[self.r4].rank_team, 1)
        self.assertEqual(
            [cards[u].rank_market for u in (self.um, self.r1, self.r2, self.r3, self.r4, self.um2)],
            [1, 2, 3, 3, 3, 3],
        )
        # February: no attendance on its 20 working days: 100 - 80 = 20, x 30 % = 6.
        self.assertEqual(self.card(self.r1, "2026-02").score, 6.0)
        self.assertAlmostEqual(card.annual_score, (6.0 + 78.9) / 2)
        self.assertAlmostEqual(card.previous_score, 6.0)
        self.assertAlmostEqual(card.trend, 72.9)

    def test_recompute_tells_what_changed(self):
        self.generate()
        card = self.card(self.um)
        value = self.env["sales.kpi.manual.value"].search(
            [("kpi_id", "=", self.kpi_completion.id), ("user_id", "=", self.um.id)]
        )
        value.value = 100
        card.with_user(self.planner).action_recompute()
        self.assertEqual(card.kpi_line_ids[0].actual, 100.0)
        self.assertIn("SC Completion: 90 → 100", card.message_ids[0].body)

    def test_rubric_score_above_points(self):
        self.generate()
        weekly = self.card(self.r1).rubric_line_ids[0]
        with self.assertRaisesRegex(ValidationError, "Weekly report must be from 0 to its 40 points, not 41"):
            weekly.with_user(self.um).rubric_score = 41
        weekly.invalidate_recordset()
        self.assertEqual(weekly.rubric_score, 0.0)

    def test_template_weights(self):
        Template = self.env["sales.scorecard.template"]
        with self.assertRaisesRegex(ValidationError, "sum to 90 %, not 100 %"):
            Template.create(
                {
                    "name": "SC bad",
                    "daily_work_weight": 60,
                    "attendance_weight": 30,
                    "line_ids": [Command.create({"line_type": "rubric", "name": "x", "points": 10})],
                }
            )
        with self.assertRaisesRegex(ValidationError, "KPI lines of the template SC bad lines sum to 80 %"):
            Template.create(
                {
                    "name": "SC bad lines",
                    "kpi_weight": 100,
                    "daily_work_weight": 0,
                    "attendance_weight": 0,
                    "line_ids": [Command.create(self._kpi_line(self.kpi_completion, 80, 80, 100, 120, cap=120))],
                }
            )
        # A line changed on its own is checked too.
        with self.assertRaisesRegex(ValidationError, "sum to 110 %"):
            self.template_lead.kpi_line_ids[0].weight = 60
        # Changed through the template, all lines at once: checked at the end.
        first, second, third = self.template_lead.kpi_line_ids
        self.template_lead.write(
            {"line_ids": [Command.update(first.id, {"weight": 40}), Command.update(second.id, {"weight": 40})]}
        )
        self.assertEqual(self.template_lead.kpi_line_ids.mapped("weight"), [40, 40, 20])

    def test_curve_bad_input(self):
        line = self.template_lead.kpi_line_ids[0]
        with self.assertRaisesRegex(ValidationError, "stretch of SC Completion cannot be below its target"):
            line.stretch = 90
        complaints = self.template_lead.kpi_line_ids[1]
        with self.assertRaisesRegex(ValidationError, "threshold of SC Complaints must be above its target"):
            complaints.threshold = 1
        complaints.invalidate_recordset()
        with self.assertRaisesRegex(ValidationError, "SC Complaints cannot be negative"):
            complaints.stretch = -1
        # Growth may be negative.
        growth = self.template_lead.kpi_line_ids[2]
        growth.threshold = -10
        self.assertEqual(growth.threshold, -10)

    def test_generation_queries_do_not_grow(self):
        Member = self.env["crm.team.member"]
        team = self.env["crm.team"].create({"name": "SC Big", "parent_id": self.market.id, "user_id": self.mm.id})
        users = [
            new_test_user(self.env, login=f"sc_t_big{i}", groups="sales_team.group_sale_salesman") for i in range(30)
        ]
        members = Member.create(
            [
                {"crm_team_id": team.id, "user_id": u.id, "role_id": self.role_lead.id, "date_start": date(2026, 1, 1)}
                for u in users
            ]
        )
        self.env["hr.employee"].create(
            [{"name": u.name, "user_id": u.id, "resource_calendar_id": self.calendar.id} for u in users]
        )
        Scorecard = self.env["sales.scorecard"].sudo()

        def run(subset, month):
            Scorecard._sales_generate(self.company, month, members=subset)
            self.env.flush_all()

        def count(subset, month):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            run(subset, month)
            return self.env.cr.sql_log_count - before

        count(members[:1], date(2025, 1, 1))  # warm the caches
        one = count(members[:1], date(2025, 2, 1))
        self.env.invalidate_all()
        # 30 members (KPI lines through compute_values, attendance of 30
        # employees): the same number of queries as one.
        with self.assertQueryCount(one):
            run(members, date(2025, 3, 1))
        self.assertEqual(Scorecard.search_count([("member_id", "in", members.ids), ("month", "=", "2025-03-01")]), 30)
