# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SalesTeamMgmtCommon

TZ = "Asia/Shanghai"  # UTC+8, no daylight saving


@tagged("post_install", "-at_install")
class TestSalesWorkReport(SalesTeamMgmtCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.rep | cls.rep2 | cls.um | cls.rm | cls.rm2).write({"tz": TZ})
        # Monday to Friday, no leaves (the company calendar may be anything)
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "STM 5 days",
                "tz": TZ,
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 18,
                            "day_period": "morning",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        cls.company.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "work_report_daily_hour": 16.0,
                "work_report_weekly_hour": 12.0,
                "work_report_monthly_day": 30,
                "work_report_monthly_hour": 24.0,
            }
        )
        cls.Report = cls.env["sales.work.report"]
        Class = cls.env["sales.customer.class"]
        cls.key_class = Class.create({"name": "Key", "code": "T-WR-KEY", "min_sales": 10**9, "visit_interval": 30})
        cls.small_class = Class.create({"name": "Small", "code": "T-WR-SMALL", "min_sales": 10**9, "visit_interval": 0})
        Partner = cls.env["res.partner"]
        cls.key1 = Partner.create({"name": "Key One", "user_id": cls.rep.id})
        cls.key2 = Partner.create({"name": "Key Two", "user_id": cls.rep.id})
        cls.small = Partner.create({"name": "Small One", "user_id": cls.rep.id})
        (cls.key1 | cls.key2).sudo().write({"sales_class_id": cls.key_class.id})
        cls.small.sudo().write({"sales_class_id": cls.small_class.id})

    def _report(self, user=None, **vals):
        user = user or self.rep
        vals.setdefault("report_type", "daily")
        vals.setdefault("date", date(2026, 12, 2))
        return self.Report.with_user(user).create(vals)

    def _visit(self, partner, done):
        return self.env["sales.visit"].create(
            {"partner_id": partner.id, "user_id": self.rep.id, "planned_date": done, "done_date": done}
        )

    # ------------------------------------------------------------------
    # Period and deadline
    # ------------------------------------------------------------------
    def test_period_and_deadline_by_type(self):
        daily = self._report(summary="<p>Day</p>")
        weekly = self._report(report_type="weekly")
        monthly = self._report(report_type="monthly", date=date(2026, 11, 12))
        self.assertRecordValues(
            daily | weekly | monthly,
            [
                # 16:00 Shanghai the same day
                {"date_from": date(2026, 12, 2), "date_to": date(2026, 12, 2), "deadline": datetime(2026, 12, 2, 8)},
                # Monday 12:00 after the week
                {"date_from": date(2026, 11, 30), "date_to": date(2026, 12, 6), "deadline": datetime(2026, 12, 7, 4)},
                # the 30th, end of the day (Monday 30 November 2026)
                {"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30), "deadline": datetime(2026, 11, 30, 16)},
            ],
        )
        self.assertEqual(daily.team_id, self.unit)
        self.assertEqual(weekly.name, "Weekly Report 2026-W49 Stm T Rep")

    def test_form_as_the_ui_sees_it(self):
        with freeze_time("2026-12-02 03:00:00"):
            form = Form(self.Report.with_user(self.rep))
            form.report_type = "weekly"
            self.assertEqual(form.date_from, date(2026, 11, 30))
            self.assertEqual(form.deadline, datetime(2026, 12, 7, 4))
            form.summary = "<p>Week</p>"
            report = form.save()
        self.assertRecordValues(report, [{"user_id": self.rep.id, "team_id": self.unit.id, "state": "draft"}])
        views = self.Report.get_views([(False, v) for v in ("list", "form", "kanban", "calendar", "search", "pivot")])
        self.assertIn("action_submit", views["views"]["form"]["arch"])

    def test_monthly_deadline_in_a_short_month(self):
        # February 2027: the 28th, a Sunday -> Monday 1 March, end of the day
        report = self._report(report_type="monthly", date=date(2027, 2, 10))
        self.assertEqual(report.deadline, datetime(2027, 3, 1, 16))

    def test_daily_on_a_saturday_is_due_monday(self):
        report = self._report(date=date(2026, 12, 5))
        self.assertEqual(report.deadline, datetime(2026, 12, 7, 8))

    def test_holiday_moves_the_deadline(self):
        # Monday 7 December 2026 is a holiday of the company's calendar (whole day, Shanghai)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 12, 6, 16),
                "date_to": datetime(2026, 12, 7, 15, 59, 59),
            }
        )
        weekly = self._report(report_type="weekly")
        self.assertEqual(weekly.deadline, datetime(2026, 12, 8, 4), "Tuesday 12:00 Shanghai")

    def test_on_time_at_the_boundary(self):
        before = self._report()
        after = self._report(user=self.rep2)
        with freeze_time("2026-12-02 07:59:00"):  # 15:59 in Shanghai
            before.with_user(self.rep).action_submit()
        with freeze_time("2026-12-02 08:01:00"):  # 16:01 in Shanghai
            after.with_user(self.rep2).action_submit()
        self.assertRecordValues(
            before | after,
            [
                {"on_time": True, "is_late": False, "state": "submitted"},
                {"on_time": False, "is_late": True, "state": "submitted"},
            ],
        )
        # returned and submitted again later: the flag of the first submission stays
        before.with_user(self.um).action_return("More detail, please.")
        with freeze_time("2026-12-03 10:00:00"):
            before.with_user(self.rep).action_submit()
        self.assertTrue(before.on_time)
        self.assertEqual(before.submitted_date, datetime(2026, 12, 2, 7, 59))

    def test_on_time_cannot_be_written(self):
        report = self._report()
        with self.assertRaises(AccessError):
            report.with_user(self.rep).write({"on_time": True})
        with self.assertRaises(AccessError):
            report.with_user(self.rep).write({"state": "reviewed"})

    # ------------------------------------------------------------------
    # Prefill
    # ------------------------------------------------------------------
    def test_prefill_orders_quotations_visits_and_previous_plan(self):
        with freeze_time("2026-12-02 03:00:00"):  # 11:00 in Shanghai
            self._create_order(10000).with_user(self.rep).action_confirm()
            self._create_order(3000)
            self._create_order(2000)
            visit = self._visit(self.key1, datetime(2026, 12, 2, 2))
            self._visit(self.key2, datetime(2026, 12, 1, 2))  # the day before
            previous = self._report(report_type="weekly", date=date(2026, 11, 25), plan="<p>Visit Key Two</p>")
            report = self._report()
            weekly = self._report(report_type="weekly")
        self.assertRecordValues(
            report,
            [
                {
                    "order_count": 1,
                    "order_amount": 10000.0,
                    "quotation_count": 2,
                    "quotation_amount": 5000.0,
                    "visit_count": 1,
                }
            ],
        )
        self.assertEqual(report.visit_ids, visit)
        self.assertEqual(weekly.visit_count, 2)
        self.assertEqual(weekly.previous_report_id, previous)
        self.assertIn("Visit Key Two", weekly.previous_plan)
        self.assertFalse(report.previous_report_id, "no earlier daily log")

    # ------------------------------------------------------------------
    # Review and scores
    # ------------------------------------------------------------------
    def test_default_rubrics(self):
        weekly = self.env.ref("sales_team_mgmt.rubric_weekly")
        monthly = self.env.ref("sales_team_mgmt.rubric_monthly")
        self.assertEqual(weekly.total_points, 40)
        self.assertEqual(weekly.item_ids.mapped("points"), [10, 10, 10, 10])
        self.assertEqual(monthly.total_points, 60)
        self.assertEqual(monthly.item_ids.mapped("code"), ["summary", "plan", "proposal"])

    def test_reviewer_is_the_nearest_leader_who_is_not_the_author(self):
        rep_report = self._report()
        um_report = self._report(user=self.um)
        rep_report.with_user(self.rep).action_submit()
        um_report.with_user(self.um).action_submit()
        self.assertEqual(rep_report.approver_id, self.um)
        self.assertEqual(um_report.approver_id, self.rm, "the unit leader's report goes up to the region leader")
        self.assertTrue(rep_report.with_user(self.um).can_approve)
        self.assertFalse(rep_report.with_user(self.rm).can_approve)
        self.assertEqual(
            self.Report.with_user(self.um).search([("can_approve", "=", True)]), rep_report, "the review queue"
        )
        self.assertTrue(rep_report.activity_ids.filtered(lambda a: a.user_id == self.um))

    def test_weekly_scores_and_automatic_key_visits(self):
        self._visit(self.key1, datetime(2026, 12, 1, 2))
        self._visit(self.key2, datetime(2026, 12, 3, 2))
        self._visit(self.small, datetime(2026, 12, 3, 3))
        report = self._report(report_type="weekly", summary="<p>Week</p>")
        report.with_user(self.rep).action_submit()
        self.assertEqual(len(report.score_ids), 4)
        self.assertEqual(report.score_max, 40)
        key = report.score_ids.filtered(lambda s: s.item_id.code == "key_visits")
        self.assertRecordValues(key, [{"auto": True, "auto_score": 10.0, "score": 10.0}])
        others = report.score_ids - key
        report.with_user(self.um).write({"score_ids": [Command.update(line.id, {"score": 8}) for line in others]})
        self.assertEqual(report.score_total, 34)
        self.assertAlmostEqual(report.score_rate, 85.0)
        report.with_user(self.um).action_review()
        self.assertRecordValues(report, [{"state": "reviewed", "reviewer_id": self.um.id}])
        self.assertTrue(report.reviewed_date)

    def test_one_key_visit_scores_nothing(self):
        self._visit(self.key1, datetime(2026, 12, 1, 2))
        self._visit(self.small, datetime(2026, 12, 2, 2))
        report = self._report(report_type="weekly")
        report.with_user(self.rep).action_submit()
        key = report.score_ids.filtered(lambda s: s.item_id.code == "key_visits")
        self.assertEqual(key.score, 0.0)
        # overriding the automatic score needs a reason
        with self.assertRaisesRollback(ValidationError, "Override Reason: At least 2 key-account visits"):
            key.with_user(self.um).write({"score": 10})
        key.with_user(self.um).write({"score": 10, "override_reason": "The second visit was logged late."})
        self.assertEqual(key.score, 10)

    def test_score_above_the_points_refused_naming_the_item(self):
        report = self._report(report_type="weekly")
        report.with_user(self.rep).action_submit()
        summary = report.score_ids.filtered(lambda s: s.item_id.code == "summary")
        with self.assertRaisesRollback(ValidationError, "Last week's summary scores from 0 to 10.0, not 11.0"):
            report.with_user(self.um).write({"score_ids": [Command.update(summary.id, {"score": 11})]})
        self.assertEqual(summary.score, 0.0)
        # only the reviewer (or a sales administrator) scores
        with self.assertRaises(AccessError):
            summary.with_user(self.rep).write({"score": 5})
        with self.assertRaises(AccessError):
            summary.with_user(self.rm).write({"score": 5})
        summary.with_user(self.sales_admin).write({"score": 5})
        self.assertEqual(report.score_total, 5)

    def test_return_for_rework(self):
        report = self._report(summary="<p>Short</p>")
        report.with_user(self.rep).action_submit()
        with self.assertRaises(UserError):
            report.with_user(self.um).action_return("  ")
        with self.assertRaises(AccessError):
            report.with_user(self.rep).action_return("I return my own")
        report.with_user(self.um).action_return("Name the customers you saw.")
        self.assertRecordValues(
            report, [{"state": "draft", "approval_state": "rejected", "approval_reason": "Name the customers you saw."}]
        )
        report.with_user(self.rep).write({"summary": "<p>Key One, Key Two</p>"})
        report.with_user(self.rep).action_submit()
        self.assertRecordValues(report, [{"state": "submitted", "approver_id": self.um.id}])

    def test_resubmission_keeps_the_reviewers_scores(self):
        self._visit(self.key1, datetime(2026, 12, 1, 2))
        report = self._report(report_type="weekly", summary="<p>Week</p>")
        report.with_user(self.rep).action_submit()
        summary = report.score_ids.filtered(lambda s: s.item_id.code == "summary")
        key = report.score_ids.filtered(lambda s: s.item_id.code == "key_visits")
        self.assertEqual(key.score, 0.0, "one key visit: the automatic item scores nothing")
        summary.with_user(self.um).write({"score": 7})
        report.with_user(self.um).action_return("Add the second key visit.")
        self.assertIn(
            "scores so far: Last week's summary 7 / 10, total 7 / 40",
            report.message_ids[0].body,
            "the return's message keeps the scores of the returned version",
        )
        # the rep logs the second key visit and submits again
        self._visit(self.key2, datetime(2026, 12, 2, 2))
        report.with_user(self.rep).action_submit()
        summary = report.score_ids.filtered(lambda s: s.item_id.code == "summary")
        key = report.score_ids.filtered(lambda s: s.item_id.code == "key_visits")
        self.assertEqual(summary.score, 7.0, "the reviewer's own score is kept")
        self.assertRecordValues(key, [{"auto": True, "auto_score": 10.0, "score": 10.0}])
        self.assertEqual(report.score_total, 17.0)

    def test_reviewed_report_cannot_be_edited(self):
        report = self._report(summary="<p>Done</p>")
        with self.assertRaises(UserError):
            report.with_user(self.um).action_review()  # not submitted
        report.with_user(self.rep).action_submit()
        with self.assertRaises(UserError):
            report.with_user(self.rep).write({"summary": "<p>Changed after submission</p>"})
        report.with_user(self.um).action_review()
        for user in (self.rep, self.um, self.sales_admin):
            with self.assertRaises(UserError):
                report.with_user(user).write({"summary": "<p>Changed</p>"})
        with self.assertRaises(UserError):
            report.with_user(self.rep).unlink()
        self.assertIn("Done", report.summary)

    # ------------------------------------------------------------------
    # Access and bad input
    # ------------------------------------------------------------------
    def test_visibility(self):
        report = self._report()
        other = self._report(user=self.rep2)
        with self.assertRaises(AccessError):
            other.with_user(self.rep).read(["summary"])
        self.assertEqual(self.Report.with_user(self.rep).search([("report_type", "=", "daily")]), report)
        self.assertEqual(
            self.Report.with_user(self.um).search([("report_type", "=", "daily")]),
            report,
            "the unit leader reads his unit",
        )
        self.assertEqual(
            self.Report.with_user(self.rm2).search([("report_type", "=", "daily")]), other, "the sibling region leader"
        )
        self.assertEqual(
            self.Report.with_user(self.mm).search([("report_type", "=", "daily")]), report | other, "the market leader"
        )

    def test_duplicate_report_refused(self):
        self._report()
        count = self.Report.search_count([])
        with self.assertRaisesRollback(
            ValidationError, "Period: Stm T Rep already has the report Daily Log 2026-12-02"
        ):
            self._report()
        with self.assertRaisesRollback(ValidationError, "already has the report Weekly Report 2026-W49"):
            self._report(report_type="weekly", date=date(2026, 12, 1)) | self._report(
                report_type="weekly", date=date(2026, 12, 4)
            )
        self.assertEqual(self.Report.search_count([]), count, "nothing written")
        self.assertTrue(self._report(user=self.rep2), "another author may")

    def test_report_for_another_person_refused(self):
        with self.assertRaisesRollback(ValidationError, "Author: you write your own work reports"):
            self._report(user_id=self.rep2.id)
        report = self._report()
        with self.assertRaisesRollback(ValidationError, "Author: you write your own work reports"):
            report.with_user(self.rep).write({"user_id": self.rep2.id})
        # a sales administrator may write one for a rep
        self.assertEqual(self._report(user=self.sales_admin, user_id=self.rep2.id).user_id, self.rep2)

    # ------------------------------------------------------------------
    # Escalation of overdue reviews
    # ------------------------------------------------------------------
    def test_overdue_review_goes_to_the_next_leader_up(self):
        self.company.work_report_review_days = 2
        report = self._report()
        with freeze_time("2026-12-03 02:00:00"):  # Thursday 10:00 in Shanghai
            report.with_user(self.rep).action_submit()
        # two working days: Friday, then Monday (the weekend skipped)
        self.assertEqual(report.review_due, datetime(2026, 12, 7, 2))
        with freeze_time("2026-12-07 01:59:00"):
            self.Report._cron_escalate_reviews()
        self.assertEqual(report.approver_id, self.um, "not overdue yet")
        with freeze_time("2026-12-07 02:01:00"):
            self.Report._cron_escalate_reviews()
        self.assertEqual(report.approver_id, self.rm)
        self.assertEqual(report.review_due, datetime(2026, 12, 9, 2, 1))
        self.assertEqual(report.activity_ids.user_id, self.rm, "the unit leader's to-do went to the region leader")
        self.assertFalse(report.with_user(self.um).can_approve)
        self.assertTrue(report.with_user(self.rm).can_approve)
        with freeze_time("2026-12-09 02:02:00"):
            self.Report._cron_escalate_reviews()
        self.assertEqual(report.approver_id, self.mm)
        report.with_user(self.mm).action_review()
        self.assertRecordValues(report, [{"state": "reviewed", "reviewer_id": self.mm.id, "review_due": False}])

    def test_escalation_stops_at_the_top(self):
        self.company.work_report_review_days = 1
        report = self._report(user=self.mm)
        report.with_user(self.mm).action_submit()
        self.assertEqual(report.approver_id, self.gm)
        with freeze_time(report.review_due + timedelta(minutes=1)):
            self.Report._cron_escalate_reviews()
        self.assertRecordValues(report, [{"approver_id": self.gm.id, "review_due": False, "state": "submitted"}])

    def test_no_escalation_when_the_delay_is_zero(self):
        self.company.work_report_review_days = 0
        report = self._report()
        report.with_user(self.rep).action_submit()
        self.assertFalse(report.review_due)

    # ------------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------------
    def test_reminder_before_the_deadline_once(self):
        self.company.work_report_reminder_hours = 4
        submitted = self._report(user=self.rep2)
        with freeze_time("2026-12-02 01:00:00"):
            submitted.with_user(self.rep2).action_submit()
        with freeze_time("2026-12-02 03:59:00"):  # 11:59 in Shanghai: 4 h 1 min before 16:00
            self.Report._cron_remind_work_reports()
        mine = self.Report.search([("user_id", "=", self.rep.id)])
        self.assertFalse(mine, "too early")
        with freeze_time("2026-12-02 04:01:00"):
            self.Report._cron_remind_work_reports()
            self.Report._cron_remind_work_reports()  # again: nothing twice
        mine = self.Report.search([("user_id", "=", self.rep.id)])
        self.assertRecordValues(
            mine, [{"report_type": "daily", "date_from": date(2026, 12, 2), "state": "draft", "reminded": True}]
        )
        self.assertEqual(len(mine.activity_ids), 1)
        self.assertEqual(mine.activity_ids.user_id, self.rep)
        self.assertEqual(mine.activity_ids.date_deadline, date(2026, 12, 2))
        self.assertFalse(submitted.activity_ids.filtered(lambda a: a.user_id == self.rep2), "submitted: no reminder")
        # an existing draft gets the reminder, none is created
        with freeze_time("2026-12-07 01:00:00"):  # Monday 09:00: last week's report due at 12:00
            weekly = self._report(report_type="weekly", date=date(2026, 12, 1))
            self.Report._cron_remind_work_reports()
        self.assertTrue(weekly.reminded)
        self.assertEqual(self.Report.search_count([("user_id", "=", self.rep.id), ("report_type", "=", "weekly")]), 1)

    def test_no_daily_reminder_on_a_non_working_day(self):
        self.company.work_report_reminder_hours = 8
        with freeze_time("2026-12-05 04:00:00"):  # Saturday
            self.Report._cron_remind_work_reports()
        self.assertFalse(self.Report.search([("user_id", "=", self.rep.id), ("report_type", "=", "daily")]))
