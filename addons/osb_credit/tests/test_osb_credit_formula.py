# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import OsbCreditCommon


@tagged("post_install", "-at_install")
class TestOsbCreditFormula(OsbCreditCommon):
    def test_grade_boundaries(self):
        cases = [
            (100, "A"),
            (85, "A"),
            (84.99, "B"),
            (70, "B"),
            (69.99, "C"),
            (55, "C"),
            (54.99, "D"),
            (40, "D"),
            (39.99, "E"),
            (0, "E"),
        ]
        for score, grade in cases:
            self.assertEqual(self.policy._grade_for_score(score), grade, score)

    def test_score_by_hand(self):
        # 30 days late of 60 -> 40 x 0.5 = 20; overdue 250/1000 -> 30 x 0.75 = 22.5;
        # 2.5 years of 5 -> 10 x 0.5 = 5; 400,000 of 1,000,000 -> 20 x 0.4 = 8. Total 55.5 -> C.
        score = self.policy._score(30, 250.0, 1000.0, 2.5, 400000.0)
        self.assertAlmostEqual(score["score_punctuality"], 20.0)
        self.assertAlmostEqual(score["score_overdue"], 22.5)
        self.assertAlmostEqual(score["score_relationship"], 5.0)
        self.assertAlmostEqual(score["score_volume"], 8.0)
        self.assertAlmostEqual(score["score"], 55.5)
        self.assertEqual(self.policy._grade_for_score(score["score"]), "C")
        # Caps: 90 days late, all overdue, 10 years, 3,000,000 of sales.
        capped = self.policy._score(90, 500.0, 500.0, 10, 3000000.0)
        self.assertAlmostEqual(capped["score"], 0 + 0 + 10 + 20)
        # No receivable: the overdue part is full.
        self.assertAlmostEqual(self.policy._score(0, 0.0, 0.0, 0, 0)["score"], 70.0)

    def test_limit_formula_by_hand(self):
        policy = self.policy
        # 240,000 / 12 = 20,000 x 2.0 (A) x (1 + 0.5 x 0.2) = 44,000 exactly.
        self.assertAlmostEqual(policy._proposed_limit("A", 240000.0, 200000.0), 44000.0)
        # Growth clamp: +100% counts as +50%: 20,000 x 1.5 (B) x 1.25 = 37,500 -> 38,000.
        self.assertAlmostEqual(policy._growth(240000.0, 120000.0), 0.5)
        self.assertAlmostEqual(policy._proposed_limit("B", 240000.0, 120000.0), 38000.0)
        # Clamp down: -80% counts as -50%: 20,000 x 1.0 (C) x 0.75 = 15,000.
        self.assertAlmostEqual(policy._proposed_limit("C", 240000.0, 1200000.0), 15000.0)
        # Rounding up: 120,100 / 12 x 1.0 = 10,008.33 -> 11,000; no previous year -> growth 0.
        self.assertAlmostEqual(policy._proposed_limit("C", 120100.0, 0.0), 11000.0)
        # D half a month, E nothing.
        self.assertAlmostEqual(policy._proposed_limit("D", 120000.0, 120000.0), 5000.0)
        self.assertAlmostEqual(policy._proposed_limit("E", 120000.0, 120000.0), 0.0)
        # Adjustments add; the limit never goes below 0.
        self.assertAlmostEqual(policy._proposed_limit("C", 120000.0, 120000.0, adjustment=2500.0), 12500.0)
        self.assertAlmostEqual(policy._proposed_limit("C", 120000.0, 120000.0, adjustment=-50000.0), 0.0)
        # New customer: the policy's new-customer limit, plus adjustments.
        self.assertAlmostEqual(policy._proposed_limit("A", 900000.0, 0.0, is_new=True), 50000.0)
        self.assertAlmostEqual(policy._proposed_limit("A", 0.0, 0.0, adjustment=1000.0, is_new=True), 51000.0)

    def test_policy_parameters_validated(self):
        with self.assertRaises(ValidationError):
            self.policy.grade_b_min = 90.0
        with self.assertRaises(ValidationError):
            self.policy.volume_target = 0.0
        with self.assertRaises(ValidationError):
            self.policy.weight_volume = -1.0

    def _rated_customer(self):
        customer = self._create_customer(
            "OSB Rated", 20000.0, osb_customer_since=self.today - timedelta(days=int(365 * 2.5) + 1)
        )
        # Sales: 120,000 in the last 12 months (paid on time), 100,000 the year before.
        inv = self._invoice(customer, 120000.0, days_ago=100)
        self._pay(inv, 120000.0, date=inv.invoice_date_due)
        self._invoice(customer, 100000.0, days_ago=500)
        return customer

    def test_rating_run_and_adjustment(self):
        customer = self._rated_customer()
        self.env["osb.credit.adjustment"].with_user(self.credit_manager).create(
            {"partner_id": customer.id, "amount": 3000.0, "reason": "Bank guarantee"}
        )
        self.env["osb.credit.adjustment"].create(
            {
                "partner_id": customer.id,
                "amount": 9000.0,
                "reason": "Expired",
                "date_expiry": self.today - timedelta(days=1),
            }
        )
        rating = self.env["osb.credit.rating"]._run_rating(self.company, self.today, partners=customer)
        line = rating.line_ids
        # Old invoice is overdue by 500 days (residual 100,000 of 100,000 receivable): overdue part 0.
        # Punctuality: the only instalment due in the last 12 months was paid on the day -> 40.
        # Relationship 2.5y -> 5; volume 120k -> 2.4. Score 47.4 -> D.
        self.assertAlmostEqual(line.score_punctuality, 40.0)
        self.assertAlmostEqual(line.score_overdue, 0.0)
        self.assertAlmostEqual(line.score_relationship, 5.0, places=2)
        self.assertAlmostEqual(line.score_volume, 2.4)
        self.assertEqual(line.grade, "D")
        # 120,000 / 12 x 0.5 x (1 + 0.5 x 0.2) = 5,500 -> 6,000, + 3,000 active adjustment.
        self.assertAlmostEqual(line.proposed_limit, 9000.0)
        self.assertEqual(customer.osb_credit_grade, "D")
        # Idempotent per month.
        again = self.env["osb.credit.rating"]._run_rating(self.company, self.today, partners=customer)
        self.assertEqual(again, rating)
        self.assertEqual(len(again.line_ids), 1)
        # The PDF renders.
        html = self.env["ir.actions.report"]._render_qweb_html("osb_credit.report_osb_credit_rating", rating.ids)[0]
        self.assertIn(b"OSB Rated", html)

    def test_new_customer_limit(self):
        customer = self._create_customer("OSB Newbie", 0.0, osb_customer_since=self.today - timedelta(days=30))
        rating = self.env["osb.credit.rating"]._run_rating(self.company, self.today, partners=customer)
        self.assertAlmostEqual(rating.line_ids.proposed_limit, 50000.0)

    def test_quarterly_review_approvals(self):
        customer = self._create_customer(
            "OSB Reviewed", 1000.0, osb_customer_since=self.today - timedelta(days=3 * 365)
        )
        customer.osb_credit_grade = "A"
        self._invoice(customer, 1200000.0, days_ago=20, due_days=60)
        self.policy.review_slt_threshold = 100000.0
        reviews = self.env["osb.credit.review"]._open_reviews(self.company, self.today, partners=customer)
        self.assertEqual(len(reviews), 1)
        # 1,200,000 / 12 x 2.0 x 1 = 200,000; delta 199,000 > 100,000: SLT needed.
        self.assertRecordValues(
            reviews,
            [{"current_limit": 1000.0, "proposed_limit": 200000.0, "delta": 199000.0, "needs_slt": True, "grade": "A"}],
        )
        self.assertFalse(
            self.env["osb.credit.review"]._open_reviews(self.company, self.today, partners=customer), "idempotent"
        )
        with self.assertRaises(AccessError):
            reviews.with_user(self.salesman).action_approve()
        reviews.with_user(self.credit_manager).action_approve()
        self.assertEqual(reviews.state, "to_approve", "waiting for the SLT member")
        self.assertEqual(customer.credit_limit, 1000.0)
        with self.assertRaises(AccessError):
            reviews.with_user(self.salesman).action_slt_approve()
        slt_team = self.env["crm.team"].create({"name": "OSB SLT", "team_type": "slt", "user_id": self.slt_user.id})
        self.assertTrue(self.slt_user._sales_is_slt_member())
        reviews.with_user(self.slt_user).action_slt_approve()
        self.assertEqual(reviews.state, "approved")
        self.assertEqual(customer.credit_limit, 200000.0)
        self.assertIn("200,000.00", customer.message_ids[0].body)
        with self.assertRaises(UserError):
            reviews.with_user(self.credit_manager).action_reject()
        self.assertTrue(slt_team)

    def test_review_small_increase_and_reject(self):
        customer = self._create_customer("OSB Small", 1000.0, osb_customer_since=self.today - timedelta(days=800))
        customer.osb_credit_grade = "C"
        self._invoice(customer, 60000.0, days_ago=20, due_days=60)
        other = self._create_customer("OSB Rejected", 1000.0, osb_customer_since=self.today - timedelta(days=800))
        reviews = self.env["osb.credit.review"]._open_reviews(self.company, self.today, partners=customer | other)
        review = reviews.filtered(lambda r: r.partner_id == customer)
        self.assertRecordValues(review, [{"proposed_limit": 5000.0, "needs_slt": False}])
        review.with_user(self.credit_manager).action_approve()
        self.assertEqual(review.state, "approved")
        self.assertEqual(customer.credit_limit, 5000.0)
        rejected = reviews - review
        rejected.with_user(self.credit_manager).action_reject()
        self.assertEqual(rejected.state, "rejected")
        self.assertEqual(other.credit_limit, 1000.0)

    def test_rate_now_for_credit_managers(self):
        Rating = self.env["osb.credit.rating"]
        with self.assertRaisesRegex(AccessError, "Only credit managers start a credit rating"):
            Rating.with_user(self.salesman).action_rate_now()
        first = self._create_customer("OSB Rate Now 1", 1000.0)
        second = self._create_customer("OSB Rate Now 2", 1000.0)
        todo = Rating._rated_partners(self.company).commercial_partner_id
        self.assertIn(first, todo)
        self.assertIn(second, todo)
        # One at a time: the rest goes to the cron, which is triggered.
        cron = self.env.ref("osb_credit.ir_cron_osb_credit_rating")
        triggers = self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id)])
        result = Rating.with_user(self.credit_manager).action_rate_now(limit=1)
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(f"the other {len(todo) - 1} are being rated in the background", result["params"]["message"])
        self.assertEqual(self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id)]), triggers + 1)
        rating = Rating.browse(result["params"]["next"]["res_id"])
        self.assertEqual(rating.line_count, 1)
        result = Rating.with_user(self.credit_manager).action_rate_now()
        self.assertEqual(result["params"]["message"], f"{len(todo) - 1} customers rated.")
        rating.invalidate_recordset(["line_count", "line_ids"])
        self.assertEqual(rating.line_count, len(todo))
        self.assertLessEqual(first | second, rating.line_ids.partner_id)
        result = Rating.with_user(self.credit_manager).action_rate_now()
        self.assertEqual(result["params"]["message"], "Every customer is already rated this month.")
        rating.invalidate_recordset(["line_count"])
        self.assertEqual(rating.line_count, len(todo))

    def test_cron_entry_points(self):
        user = new_test_user(self.env, login="osb_t_cron_probe", groups="base.group_user")
        self.assertTrue(user)
        self.assertTrue(self.env["osb.credit.rating"]._cron_monthly_rating())
        self.assertTrue(self.env["osb.credit.review"]._cron_quarterly_review())
        self._order(self.customer, price=1500.0).action_confirm()
        self.env["osb.credit.exposure.queue"].sudo().search([]).unlink()  # the rebuild queues the customer again
        self.assertTrue(self.env["osb.credit.exposure"]._cron_rebuild())
        self.env["osb.credit.exposure.queue"]._cron_process(limit=100000)  # the refresh cron drains the queue
        stored = self.env["osb.credit.exposure"].search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.company.id)]
        )
        self.assertRecordValues(
            stored, [{"order_uninvoiced": 1500.0, "exposure": 1500.0, "credit_limit": 10000.0, "available": 8500.0}]
        )

    def test_rating_and_review_crons_resume_in_batches(self):
        """The monthly rating and the quarterly review do a batch per call and tell
        Odoo's cron runner what remains; the next call goes on where the last one
        stopped (a run cut short loses only its own batch); once all are done, a
        run changes nothing (the previous grades included)."""
        self.env["osb.credit.policy"].sudo().search([("company_id", "!=", self.company.id)]).enforce = False
        for n in range(3):
            self._invoice(self._create_customer(f"OSB Cron {n}", 5000.0), 100.0 * (n + 1), days_ago=40, due_days=10)
        Rating = self.env["osb.credit.rating"]
        Review = self.env["osb.credit.review"]
        total = len(Rating._rated_partners(self.company, self.today).commercial_partner_id)
        self.assertGreaterEqual(total, 3)
        for model, cron_xmlid in (
            (Rating, "osb_credit.ir_cron_osb_credit_rating"),
            (Review, "osb_credit.ir_cron_osb_credit_review"),
        ):
            cron = self.env.ref(cron_xmlid)
            progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "done": 0, "remaining": 0})
            run = getattr(model.with_context(ir_cron_progress_id=progress.id), cron.code.split(".")[1].split("(")[0])
            run(limit=2)
            self.assertRecordValues(progress, [{"done": 2, "remaining": total - 2}])
            while progress.remaining:
                run(limit=2)
            run(limit=2)
            self.assertRecordValues(progress, [{"done": 0, "remaining": 0}])
        rating = Rating.search([("company_id", "=", self.company.id), ("date", "=", self.today.replace(day=1))])
        self.assertEqual(len(rating.line_ids), total)
        quarter = self.today.replace(month=3 * ((self.today.month - 1) // 3) + 1, day=1)
        self.assertEqual(Review.search_count([("company_id", "=", self.company.id), ("date", "=", quarter)]), total)
        # Rated again by hand: the lines are replaced, the grades before the month kept.
        before = {line.partner_id.id: line.previous_grade for line in rating.line_ids}
        again = Rating._run_rating(self.company, self.today)
        self.assertEqual(again, rating)
        self.assertEqual({line.partner_id.id: line.previous_grade for line in again.line_ids}, before)

    def test_rating_rates_only_customers_active_in_the_company(self):
        """Never bought here, no limit set here: not rated; activity in the window,
        or a limit set in the company: rated."""
        Rating = self.env["osb.credit.rating"]
        never = self.env["res.partner"].create({"name": "OSB Never Bought", "is_company": True, "customer_rank": 5})
        buyer = self.env["res.partner"].create({"name": "OSB Buyer Here", "is_company": True})
        self._invoice(buyer, 500.0, days_ago=30)
        old_buyer = self.env["res.partner"].create({"name": "OSB Old Buyer", "is_company": True})
        inv = self._invoice(old_buyer, 500.0, days_ago=500)
        self._pay(inv, 500.0, date=inv.invoice_date_due)
        limited = self._create_customer("OSB Limit Only", 7000.0)
        rated = Rating._rated_partners(self.company, self.today)
        self.assertNotIn(never, rated)
        self.assertNotIn(old_buyer, rated, "no activity in the 12 months")
        self.assertIn(buyer, rated)
        self.assertIn(limited, rated)
        rating = Rating._run_rating(self.company, self.today)
        self.assertFalse(rating.line_ids.filtered(lambda line: line.partner_id in never | old_buyer))

    def test_rating_without_evidence_keeps_the_grade_and_says_why(self):
        customer = self._create_customer(
            "OSB No History", 200000.0, osb_customer_since=self.today - timedelta(days=3 * 365)
        )
        customer.osb_credit_grade = "A"
        graded_d = self._create_customer("OSB No History D", 5000.0, osb_credit_grade="D")
        never_graded = self._create_customer("OSB Never Graded", 1000.0)
        # An invoice not yet due: activity, but no evidence of punctuality.
        self._invoice(customer, 1000.0, due_days=30)
        rating = self.env["osb.credit.rating"]._run_rating(
            self.company, self.today, partners=customer | graded_d | never_graded
        )
        line = rating.line_ids.filtered(lambda r: r.partner_id == customer)
        self.assertRecordValues(
            line,
            [
                {
                    "insufficient_history": True,
                    "score_punctuality": 0.0,
                    "grade": "A",
                    "previous_grade": "A",
                    "credit_limit": 200000.0,
                    "proposed_limit": 200000.0,
                }
            ],
        )
        self.assertAlmostEqual(line.score, line.score_overdue + line.score_relationship + line.score_volume)
        self.assertEqual(line.note, "Insufficient history: no invoice due in the last 12 months; grade A kept.")
        self.assertEqual(customer.osb_credit_grade, "A")
        line_d = rating.line_ids.filtered(lambda r: r.partner_id == graded_d)
        self.assertRecordValues(line_d, [{"grade": "D", "insufficient_history": True}])
        self.assertEqual(graded_d.osb_credit_grade, "D")
        line_new = rating.line_ids.filtered(lambda r: r.partner_id == never_graded)
        self.assertFalse(line_new.grade)
        self.assertEqual(line_new.note, "Insufficient history: no invoice due in the last 12 months; not graded yet.")
        self.assertFalse(never_graded.osb_credit_grade)
        # The rating list shows why.
        html = self.env["ir.actions.report"]._render_qweb_html("osb_credit.report_osb_credit_rating", rating.ids)[0]
        self.assertIn(b"grade A kept", html)
