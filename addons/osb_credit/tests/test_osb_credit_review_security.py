# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import OsbCreditCommon


@tagged("post_install", "-at_install")
class TestOsbCreditReviewSecurity(OsbCreditCommon):
    """Reviews and rating snapshots change only through their actions; the crons
    select every commercial customer in the company rated; salespeople read the
    aging and ratings of their own customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slt_team = cls.env["crm.team"].create({"name": "OSB SLT", "team_type": "slt", "user_id": cls.slt_user.id})
        cls.rep_a = new_test_user(
            cls.env, login="osb_t_rep_a", groups="sales_team_mgmt.group_sales_team_mgmt_user", company_id=cls.company.id
        )
        cls.rep_b = new_test_user(
            cls.env, login="osb_t_rep_b", groups="sales_team.group_sale_salesman", company_id=cls.company.id
        )
        cls.leader_b = new_test_user(
            cls.env,
            login="osb_t_leader_b",
            groups="sales_team_mgmt.group_sales_team_mgmt_hierarchy",
            company_id=cls.company.id,
        )
        cls.team_a = cls.env["crm.team"].create({"name": "OSB Team A"})
        cls.team_b = cls.env["crm.team"].create({"name": "OSB Team B", "user_id": cls.leader_b.id})
        cls.cust_a = cls._create_customer("OSB Cust A", 0.0, user_id=cls.rep_a.id)
        cls.cust_b = cls._create_customer("OSB Cust B", 0.0, user_id=cls.rep_b.id)

    def _review_above_threshold(self):
        customer = self._create_customer("OSB Forged", 1000.0, osb_customer_since=self.today - timedelta(days=3 * 365))
        customer.osb_credit_grade = "A"
        self._invoice(customer, 1200000.0, days_ago=20, due_days=60)
        self.policy.review_slt_threshold = 100000.0
        return self.env["osb.credit.review"]._open_reviews(self.company, self.today, partners=customer)

    def _posted_invoice(self, partner, amount, invoice_user, team):
        move = self._invoice(partner, amount, days_ago=40, post=False)
        move.write({"invoice_user_id": invoice_user.id, "team_id": team.id})
        move.action_post()
        return move

    # Gap 1: the SLT approval cannot be forged or skipped.
    def test_review_fields_not_writable(self):
        review = self._review_above_threshold()
        expected = {
            "state": "to_approve",
            "needs_slt": True,
            "current_limit": 1000.0,
            "proposed_limit": 200000.0,
            "delta": 199000.0,
            "credit_approver_id": False,
            "slt_approver_id": False,
        }
        self.assertRecordValues(review, [expected])
        as_manager = review.with_user(self.credit_manager)
        for vals in (
            {"needs_slt": False},
            {"state": "approved"},
            {"needs_slt": False, "state": "to_approve"},
            {"slt_approver_id": self.credit_manager.id},
            {"credit_approver_id": self.credit_manager.id},
            {"proposed_limit": 50000.0},
            {"current_limit": 199000.0},
            {"delta": 0.0},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_manager.write(vals)
        self.assertRecordValues(review, [expected])
        # The chatter stays open to credit managers.
        as_manager.message_post(body="Checked with the customer's bank.")
        # Approval still needs the SLT member.
        as_manager.action_approve()
        self.assertRecordValues(review, [{"state": "to_approve", "credit_approver_id": self.credit_manager.id}])
        self.assertEqual(review.partner_id.credit_limit, 1000.0)
        review.with_user(self.slt_user).action_slt_approve()
        self.assertRecordValues(review, [{"state": "approved", "slt_approver_id": self.slt_user.id}])
        self.assertEqual(review.partner_id.credit_limit, 200000.0)
        with self.assertRaises(AccessError):
            as_manager.write({"state": "to_approve"})

    def test_review_steps_run_in_order_on_the_approval_engine(self):
        review = self._review_above_threshold()
        self.assertRecordValues(review, [{"state": "to_approve", "approval_step": "credit", "approver_id": False}])
        self.assertFalse(review.activity_ids, "a group step gives no personal activity")
        managers = self.env["osb.credit.review"].with_user(self.credit_manager)
        self.assertIn(review, managers.search([("can_approve", "=", True)]))
        # The SLT approval comes second.
        with self.assertRaises(UserError) as ctx:
            review.with_user(self.slt_user).action_slt_approve()
        self.assertIn("wait for another approval first: Credit Manager", str(ctx.exception))
        review.with_user(self.credit_manager).action_approve()
        # The SLT step starts: the customer's responsible SLT member is asked.
        self.assertRecordValues(
            review,
            [{"state": "to_approve", "approval_step": "slt", "approver_id": self.slt_user.id}],
        )
        self.assertEqual(review.activity_ids.user_id, self.slt_user)
        # (this SLT member reads no reviews; the action reads them as superuser)
        self.assertTrue(review.with_user(self.slt_user).sudo().can_approve)
        self.assertNotIn(review, managers.search([("can_approve", "=", True)]))
        review.with_user(self.slt_user).action_slt_approve()
        self.assertRecordValues(review, [{"state": "approved", "approval_step": False}])
        self.assertFalse(review.activity_ids)

    def test_credit_manager_in_the_slt_gives_both_approvals(self):
        review = self._review_above_threshold()
        self.env["crm.team.member"].create({"crm_team_id": self.slt_team.id, "user_id": self.credit_manager.id})
        review.with_user(self.credit_manager).action_approve()
        self.assertRecordValues(
            review,
            [
                {
                    "state": "approved",
                    "credit_approver_id": self.credit_manager.id,
                    "slt_approver_id": self.credit_manager.id,
                }
            ],
        )
        self.assertEqual(review.partner_id.credit_limit, 200000.0)

    def test_reject_keeps_the_reason(self):
        review = self._review_above_threshold()
        review.with_user(self.credit_manager).action_approve()
        review.with_user(self.credit_manager).action_reject()
        self.assertRecordValues(
            review,
            [
                {
                    "state": "rejected",
                    "approval_reason": "Rejected by the credit manager.",
                    "approver_id": self.credit_manager.id,
                }
            ],
        )
        self.assertEqual(review.partner_id.credit_limit, 1000.0)

    def test_slt_member_reaches_the_reviews(self):
        """An SLT member who is a sales manager (not a credit user) finds the
        reviews waiting for the SLT approval in the menu and approves them."""
        review = self._review_above_threshold()
        review.with_user(self.credit_manager).action_approve()
        slt_manager = new_test_user(
            self.env, login="osb_t_slt_manager", groups="sales_team.group_sale_manager", company_id=self.company.id
        )
        self.env["crm.team.member"].create({"crm_team_id": self.slt_team.id, "user_id": slt_manager.id})
        self.assertFalse(slt_manager.has_group("osb_credit.group_osb_credit_user"))
        visible = self.env["ir.ui.menu"].with_user(slt_manager)._visible_menu_ids()
        self.assertIn(self.env.ref("osb_credit.menu_osb_credit_review").id, visible)
        waiting = (
            self.env["osb.credit.review"]
            .with_user(slt_manager)
            .search([("needs_slt", "=", True), ("state", "=", "to_approve")])
        )
        self.assertIn(review, waiting)
        waiting.filtered(lambda r: r == review).action_slt_approve()
        self.assertRecordValues(review, [{"state": "approved", "slt_approver_id": slt_manager.id}])
        with self.assertRaises(AccessError):
            review.with_user(slt_manager).write({"state": "to_approve"})

    # Gap 4: the monthly rating is a snapshot.
    def test_rating_snapshot_read_only(self):
        rating = self.env["osb.credit.rating"]._run_rating(self.company, self.today, partners=self.cust_a)
        line = rating.line_ids
        self.assertEqual(len(line), 1)
        grade = line.grade
        line_as_manager = line.with_user(self.credit_manager)
        rating_as_manager = rating.with_user(self.credit_manager)
        self.assertEqual(line_as_manager.grade, grade, "credit managers read the rating")
        with self.assertRaises(AccessError):
            line_as_manager.write({"grade": "A" if grade != "A" else "E", "score": 99.0})
        with self.assertRaises(AccessError):
            line_as_manager.unlink()
        with self.assertRaises(AccessError):
            rating_as_manager.write({"date": self.today.replace(day=1) - timedelta(days=40)})
        with self.assertRaises(AccessError):
            rating_as_manager.unlink()
        with self.assertRaises(AccessError):
            self.env["osb.credit.rating.line"].with_user(self.credit_manager).create(
                {"rating_id": rating.id, "partner_id": self.cust_b.id, "grade": "A"}
            )
        self.assertEqual(line.exists().grade, grade)
        # The run itself still replaces the lines of its month.
        again = self.env["osb.credit.rating"]._run_rating(self.company, self.today, partners=self.cust_a)
        self.assertEqual(again, rating)
        self.assertEqual(len(again.line_ids), 1)

    # Gap 3: individuals and company-dependent selection.
    def test_rated_partners_include_individuals(self):
        person = self.env["res.partner"].create(
            {
                "name": "OSB Private Person",
                "is_company": False,
                "user_id": self.rep_a.id,
                "property_payment_term_id": self.term_immediate.id,
            }
        )
        contact = self.env["res.partner"].create({"name": "OSB Buyer", "parent_id": self.cust_b.id})
        self.assertFalse(person.customer_rank)
        self._invoice(person, 3000.0, days_ago=10, due_days=30)
        self.assertTrue(person.customer_rank)
        Rating = self.env["osb.credit.rating"]
        rated = Rating._rated_partners(self.company)
        self.assertIn(person, rated)
        self.assertNotIn(contact, rated, "contacts are rated through their commercial partner")
        rating = Rating._run_rating(self.company, self.today)
        line = rating.line_ids.filtered(lambda r: r.partner_id == person)
        self.assertEqual(len(line), 1)
        self.assertAlmostEqual(line.receivable_amount, 3000.0)
        self.assertEqual(person.with_company(self.company).osb_credit_grade, line.grade)
        reviews = self.env["osb.credit.review"]._open_reviews(self.company, self.today)
        self.assertEqual(len(reviews.filtered(lambda r: r.partner_id == person)), 1)

    def test_rated_partners_in_the_rated_company(self):
        company_b = self.setup_other_company()["company"]
        self.env["osb.credit.policy"]._get_policy(company_b)
        # A customer whose credit limit is set in company B only, never invoiced.
        partner = self.env["res.partner"].create({"name": "OSB Company B Customer", "is_company": True})
        partner.with_company(company_b).write({"credit_limit": 5000.0})
        self.assertFalse(partner.customer_rank)
        self.assertEqual(self.env.company, self.company, "the cron runs in another company")
        Rating = self.env["osb.credit.rating"]
        self.assertIn(partner, Rating._rated_partners(company_b))
        self.assertNotIn(partner, Rating._rated_partners(self.company))
        rating = Rating._run_rating(company_b, self.today)
        self.assertEqual(rating.company_id, company_b)
        line = rating.line_ids.filtered(lambda r: r.partner_id == partner)
        self.assertEqual(len(line), 1)
        self.assertAlmostEqual(line.credit_limit, 5000.0)
        self.assertEqual(partner.with_company(company_b).osb_credit_grade, line.grade)
        self.assertFalse(partner.with_company(self.company).osb_credit_grade)
        reviews = self.env["osb.credit.review"]._open_reviews(company_b, self.today)
        review = reviews.filtered(lambda r: r.partner_id == partner)
        self.assertRecordValues(review, [{"company_id": company_b.id, "current_limit": 5000.0}])

    # Gap 5: salespeople read their own customers' aging and ratings.
    def test_aging_visibility(self):
        self._posted_invoice(self.cust_a, 700.0, self.env.user, self.team_a)
        self._posted_invoice(self.cust_b, 900.0, self.rep_b, self.team_b)
        self.env.flush_all()
        Aging = self.env["osb.credit.aging"]
        domain = [("partner_id", "in", (self.cust_a | self.cust_b).ids)]
        rows = Aging.search(domain)
        self.assertEqual(rows.partner_id, self.cust_a | self.cust_b)
        row_b = rows.filtered(lambda r: r.partner_id == self.cust_b)
        # rep A: the customer's salesperson, not the invoice's.
        own = Aging.with_user(self.rep_a).search(domain)
        self.assertEqual(own.partner_id, self.cust_a)
        self.assertAlmostEqual(sum(own.mapped("residual")), 700.0)
        with self.assertRaises(AccessError):
            row_b.with_user(self.rep_a).read(["residual"])
        self.assertEqual(Aging.with_user(self.rep_b).search(domain).partner_id, self.cust_b)
        # The leader of team B reads his team's rows.
        self.assertEqual(Aging.with_user(self.leader_b).search(domain).partner_id, self.cust_b)
        # Credit users read everything.
        credit_user = new_test_user(
            self.env, login="osb_t_credit_user", groups="osb_credit.group_osb_credit_user", company_id=self.company.id
        )
        self.assertEqual(Aging.with_user(credit_user).search(domain), rows)

    def test_rating_line_visibility(self):
        rating = self.env["osb.credit.rating"]._run_rating(self.company, self.today, partners=self.cust_a | self.cust_b)
        review = self.env["osb.credit.review"]._open_reviews(self.company, self.today, partners=self.cust_a)
        Line = self.env["osb.credit.rating.line"]
        domain = [("rating_id", "=", rating.id)]
        self.assertEqual(Line.with_user(self.rep_a).search(domain).partner_id, self.cust_a)
        self.assertEqual(Line.with_user(self.rep_b).search(domain).partner_id, self.cust_b)
        self.assertEqual(Line.with_user(self.credit_manager).search(domain).partner_id, self.cust_a | self.cust_b)
        line_b = rating.line_ids.filtered(lambda r: r.partner_id == self.cust_b)
        with self.assertRaises(AccessError):
            line_b.with_user(self.rep_a).read(["grade"])
        # The company-wide list and the reviews stay with credit users.
        with self.assertRaises(AccessError):
            rating.with_user(self.rep_a).read(["name"])
        with self.assertRaises(AccessError):
            review.with_user(self.rep_a).read(["proposed_limit"])
