# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_rank import SalesRankCommon


@tagged("post_install", "-at_install")
class TestSalesRankSecurity(SalesRankCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.r1, cls.r2):
            for month in ("2026-01", "2026-02", "2026-03"):
                cls.env.cr.execute(
                    "INSERT INTO sales_kpi_fact (company_id, month, team_id, user_id, amount_sale) "
                    "VALUES (%s, %s, %s, %s, 11000)",
                    [cls.company.id, f"{month}-01", cls.unit.id, user.id],
                )
        cls.env["sales.promotion.proposal"].with_user(cls.hr).evaluate_month(cls.MONTH)
        Proposal = cls.env["sales.promotion.proposal"]
        cls.p1 = Proposal.search([("user_id", "=", cls.r1.id)])
        cls.p2 = Proposal.search([("user_id", "=", cls.r2.id)])

    def test_member_reads_own_only(self):
        Proposal = self.env["sales.promotion.proposal"]
        self.assertEqual(Proposal.with_user(self.r1).search([("kind", "=", "promotion")]), self.p1)
        with self.assertRaises(AccessError):
            self.p2.with_user(self.r1).read(["months_met"])
        History = self.env["sales.rank.history"]
        self.assertEqual(History.with_user(self.r1).search([]), self.history[self.r1])
        self.assertEqual(self.env["sales.promotion.evidence"].with_user(self.r1).search([]), self.p1.evidence_line_ids)
        # the leaders read their subtree's
        self.assertEqual(Proposal.with_user(self.um).search([("kind", "=", "promotion")]), self.p1 | self.p2)
        self.assertEqual(Proposal.with_user(self.mm).search([("kind", "=", "promotion")]), self.p1 | self.p2)
        self.assertEqual(
            History.with_user(self.um).search([("user_id", "!=", self.um.id)]), self.histories - self.history[self.um]
        )
        # HR reads everything and manages the ladders
        mine = [("kind", "=", "promotion"), ("user_id", "in", (self.r1 | self.r2 | self.r3).ids)]
        self.assertEqual(Proposal.with_user(self.hr).search(mine), self.p1 | self.p2)

    def test_nobody_creates_or_forges(self):
        Proposal = self.env["sales.promotion.proposal"]
        vals = {
            "user_id": self.r1.id,
            "ladder_id": self.ladder.id,
            "month": date(2026, 6, 1),
            "target_rank_id": self.rank_kam.id,
            "effective_date": date(2026, 7, 1),
        }
        for user in (self.r1, self.um, self.hr):
            with self.assertRaises(UserError):  # an AccessError is a UserError
                Proposal.with_user(user).create(vals)
        with self.assertRaises(AccessError):
            self.p1.with_user(self.r1).write({"note": "promote me"})
        with self.assertRaises(UserError):
            self.p1.with_user(self.hr).write({"state": "approved"})
        with self.assertRaises(UserError):
            self.p1.with_user(self.hr).write({"target_rank_id": self.rank_mm.id})
        self.p1.with_user(self.hr).write({"effective_date": date(2026, 6, 1)})
        self.assertEqual(self.p1.effective_date, date(2026, 6, 1))
        with self.assertRaises(AccessError):
            self.env["sales.rank"].with_user(self.um).create({"ladder_id": self.ladder.id, "code": "X", "name": "X"})
        with self.assertRaises(AccessError):
            self.history[self.r1].with_user(self.um).write({"rank_id": self.rank_kam.id})

    def test_only_hr_gives_the_last_approval(self):
        self.p1.with_user(self.um).action_approval_approve()
        for user in (self.r1, self.r2, self.um, self.mm, self.vp):
            with self.assertRaises(AccessError):
                self.p1.with_user(user).action_approval_approve()
        self.p1.with_user(self.hr).action_approval_approve()
        self.assertEqual(self.p1.state, "approved")
        with self.assertRaises(UserError):
            self.p1.with_user(self.hr).write({"effective_date": date(2026, 6, 1)})

    def test_effective_date_before_the_rank_started(self):
        self.p1.with_user(self.hr).write({"effective_date": date(2024, 12, 1)})
        self.p1.with_user(self.um).action_approval_approve()
        with self.assertRaisesRegex(ValidationError, "effective date"):
            self.p1.with_user(self.hr).action_approval_approve()
        self.assertFalse(self.history[self.r1].date_end)

    def test_bad_rank_input(self):
        Rank = self.env["sales.rank"].with_user(self.hr)
        count = Rank.search_count([])
        base = {"ladder_id": self.ladder.id, "code": "BAD", "name": "Bad"}
        cases = [
            ({"sales_threshold": -1}, "Monthly Sales Threshold"),
            ({"months_required": 5, "window_months": 4}, "Months Over Threshold"),
            ({"months_required": -1}, "Months Over Threshold"),
            ({"window_months": 0}, "Window (Months)"),
            ({"bonus_rate": 101}, "Bonus Tier"),
            ({"min_subordinates": -2}, "Direct Subordinates"),
            ({"min_average_score": -5}, "Average Score"),
        ]
        for vals, field in cases:
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, re.escape(field)):
                with self.env.cr.savepoint():
                    Rank.create(dict(base, **vals))
        with self.assertRaisesRegex(ValidationError, "Months Over Threshold"), self.env.cr.savepoint():
            self.rank_kam.with_user(self.hr).write({"months_required": 9})
        self.assertEqual(self.rank_kam.months_required, 3)
        self.assertEqual(Rank.search_count([]), count)

    def test_rank_of_another_ladder_or_company(self):
        company_b = self.env["res.company"].create({"name": "RK Company B"})
        ladder_b = self.env["sales.rank.ladder"].create({"name": "RK B", "company_id": company_b.id})
        rank_b = self.env["sales.rank"].create({"ladder_id": ladder_b.id, "code": "B1", "name": "B one"})
        self.assertEqual(rank_b.company_id, company_b)
        other = self.env["sales.rank.ladder"].create({"name": "RK Other"})
        rank_other = self.env["sales.rank"].create({"ladder_id": other.id, "code": "O1", "name": "Other one"})
        count = self.env["sales.rank.history"].search_count([])
        with self.assertRaisesRegex(UserError, "Rank"), self.env.cr.savepoint():
            self.env["sales.rank.history"].create(
                {"user_id": self.r3.id, "rank_id": rank_b.id, "date_start": date(2026, 1, 1)}
            )
        with self.assertRaisesRegex(ValidationError, "Subordinate Rank"), self.env.cr.savepoint():
            self.rank_mm.write({"subordinate_rank_id": rank_other.id})
        with self.assertRaisesRegex(UserError, "Subordinate Rank"), self.env.cr.savepoint():
            self.rank_mm.write({"subordinate_rank_id": rank_b.id})
        self.assertEqual(self.rank_mm.subordinate_rank_id, self.rank_kam)
        self.assertEqual(self.env["sales.rank.history"].search_count([]), count)

    def test_overlapping_ranks_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot overlap"), self.env.cr.savepoint():
            self.env["sales.rank.history"].create(
                {"user_id": self.r1.id, "rank_id": self.rank_kam.id, "date_start": date(2026, 1, 1)}
            )
        with self.assertRaisesRegex(ValidationError, "End Date"), self.env.cr.savepoint():
            self.history[self.r1].write({"date_end": date(2024, 1, 1)})

    def test_two_companies(self):
        """A proposal of company A is not read from company B."""
        company_b = self.env["res.company"].create({"name": "RK Company B2"})
        self.hr.company_ids |= company_b
        Proposal = self.env["sales.promotion.proposal"].with_user(self.hr)
        self.assertFalse(Proposal.with_context(allowed_company_ids=[company_b.id]).search([]))
        self.assertTrue(Proposal.with_context(allowed_company_ids=[self.company.id]).search([]))
        result = Proposal.with_context(allowed_company_ids=[company_b.id]).evaluate_month(self.MONTH, company_b.id)
        self.assertEqual(result["evaluated"], 0)
        with self.assertRaises(AccessError):
            Proposal.with_user(self.um).evaluate_month(self.MONTH, company_b.id)
