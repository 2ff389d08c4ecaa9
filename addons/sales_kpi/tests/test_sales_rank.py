# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_rank import SalesRankCommon


@tagged("post_install", "-at_install")
class TestSalesRank(SalesRankCommon):
    def test_threshold_n_of_m_months(self):
        """r1 reaches 10,000 in 3 of the 4 months (once exactly): proposed for KAM
        with the months as evidence; r2, one month short, is not."""
        for month, amount in (("2026-01", 12000), ("2026-02", 8000), ("2026-03", 10000), ("2026-04", 15000)):
            self.fact(self.r1, month, amount)
        for month, amount in (("2026-01", 12000), ("2026-02", 9999.99), ("2026-04", 15000)):
            self.fact(self.r2, month, amount)
        self.fact(self.r2, "2025-12", 50000)  # before the window
        result = self.evaluate()
        self.assertEqual(result["evaluated"], 4)
        self.assertEqual(result["proposed"], 1)
        proposal = self.proposal(self.r1)
        self.assertRecordValues(
            proposal,
            [
                {
                    "state": "to_approve",
                    "kind": "promotion",
                    "current_rank_id": self.rank_rep.id,
                    "target_rank_id": self.rank_kam.id,
                    "months_met": 3,
                    "months_required": 3,
                    "window_months": 4,
                    "sales_threshold": 10000,
                    "criteria_met": True,
                    "effective_date": date(2026, 5, 1),
                    "approval_step": "leader",
                    "approver_id": self.um.id,
                    "team_id": self.unit.id,
                    "member_id": self.member[self.r1].id,
                }
            ],
        )
        self.assertEqual(
            [(line.month, line.amount, line.met) for line in proposal.evidence_line_ids],
            [
                (date(2026, 1, 1), 12000, True),
                (date(2026, 2, 1), 8000, False),
                (date(2026, 3, 1), 10000, True),
                (date(2026, 4, 1), 15000, True),
            ],
        )
        self.assertIn(proposal.id, result["proposal_ids"])
        self.assertFalse(self.proposal(self.r2))
        self.assertFalse(self.proposal(self.r3))
        self.assertTrue(proposal.approval_activity_id)
        self.assertEqual(proposal.approval_activity_id.user_id, self.um)

    def test_subordinates_and_average_score(self):
        """um (KAM) sells 20,000 in 2 of 3 months: MM also asks 2 direct
        subordinates at KAM or above and an average score of 80."""
        # January too: um keeps meeting KAM's own criterion (no demotion review)
        for month in ("2026-01", "2026-02", "2026-04"):
            self.fact(self.um, month, 20000, team=self.market)
        self.score(self.um, "2026-03", 90)
        self.score(self.um, "2026-04", 75)
        self.evaluate()
        self.assertFalse(self.proposal(self.um), "no subordinate at KAM yet")
        # r1 and r2 (members of the unit um leads) hold KAM from March; r3 stays REP
        for user in (self.r1, self.r2):
            self.history[user].date_end = date(2026, 2, 28)
            self.env["sales.rank.history"].create(
                {
                    "user_id": user.id,
                    "rank_id": self.rank_kam.id,
                    "team_id": self.unit.id,
                    "date_start": date(2026, 3, 1),
                }
            )
        self.evaluate()
        proposal = self.proposal(self.um)
        self.assertRecordValues(
            proposal,
            [
                {
                    "target_rank_id": self.rank_mm.id,
                    "subordinate_count": 2,
                    "min_subordinates": 2,
                    "average_score": 82.5,
                    "months_met": 2,
                    "approver_id": self.mm.id,
                }
            ],
        )
        self.assertEqual(proposal.evidence_line_ids.mapped("score"), [0.0, 90.0, 75.0])
        self.assertEqual(proposal.evidence_line_ids.mapped("has_score"), [False, True, True])

    def test_average_score_short(self):
        for user in (self.r1, self.r2):
            self.history[user].date_end = date(2026, 2, 28)
            self.env["sales.rank.history"].create(
                {
                    "user_id": user.id,
                    "rank_id": self.rank_kam.id,
                    "team_id": self.unit.id,
                    "date_start": date(2026, 3, 1),
                }
            )
        for month in ("2026-02", "2026-04"):
            self.fact(self.um, month, 20000, team=self.market)
        self.score(self.um, "2026-03", 80)
        self.score(self.um, "2026-04", 79)
        self.evaluate()
        self.assertFalse(self.proposal(self.um), "average 79.5 < 80")

    def test_approval_changes_rank_and_role_with_history(self):
        for month in ("2026-01", "2026-02", "2026-03"):
            self.fact(self.r1, month, 11000)
        self.evaluate()
        proposal = self.proposal(self.r1)
        with self.assertRaises(AccessError):
            proposal.with_user(self.r2).action_approval_approve()
        with self.assertRaises(AccessError):
            proposal.with_user(self.r1).action_approval_approve()
        proposal.with_user(self.um).action_approval_approve()
        self.assertRecordValues(
            proposal, [{"state": "to_approve", "approval_step": "hr", "leader_approver_id": self.um.id}]
        )
        with self.assertRaises(AccessError):
            proposal.with_user(self.mm).action_approval_approve()
        proposal.with_user(self.hr).action_approval_approve()
        self.assertEqual(proposal.state, "approved")
        self.assertEqual(proposal.hr_approver_id, self.hr)
        # Decided: the engine's lock refuses any change, superuser included (its hook wrote the new rank).
        decided = f"{proposal.display_name} are decided: their effective date and note no longer change."
        for writer in (proposal.with_user(self.hr), proposal.sudo()):
            with self.assertRaises(UserError) as ctx:
                writer.write({"note": "later"})
            self.assertEqual(str(ctx.exception), decided)
        with self.assertRaisesRegex(UserError, "are decided"):
            proposal.sudo().unlink()
        old = self.history[self.r1]
        History = self.env["sales.rank.history"]
        rows = History.search([("user_id", "=", self.r1.id)], order="date_start")
        self.assertEqual(rows, old | proposal.new_history_id)
        self.assertRecordValues(
            rows,
            [
                {
                    "rank_id": self.rank_rep.id,
                    "date_start": date(2025, 1, 1),
                    "date_end": date(2026, 4, 30),
                    "proposal_id": False,
                },
                {
                    "rank_id": self.rank_kam.id,
                    "date_start": date(2026, 5, 1),
                    "date_end": False,
                    "proposal_id": proposal.id,
                },
            ],
        )
        # the membership: the old one closed the day before, a new one with the KAM role
        old_member = self.member[self.r1]
        new_member = proposal.new_member_id
        self.assertRecordValues(
            old_member | new_member,
            [
                {
                    "role_id": self.role_rep.id,
                    "date_start": date(2025, 1, 1),
                    "date_end": date(2026, 4, 30),
                    "crm_team_id": self.unit.id,
                },
                {
                    "role_id": self.role_kam.id,
                    "date_start": date(2026, 5, 1),
                    "date_end": False,
                    "crm_team_id": self.unit.id,
                },
            ],
        )
        self.assertEqual(proposal.new_history_id.member_id, new_member)
        # May's evaluation sees KAM; the membership in force on a day of April is the old one
        Member = self.env["crm.team.member"]
        self.assertEqual(
            Member.search([("user_id", "=", self.r1.id)] + Member._sales_current_domain(date(2026, 4, 15))), old_member
        )
        self.assertEqual(
            Member.search([("user_id", "=", self.r1.id)] + Member._sales_current_domain(date(2026, 5, 2))), new_member
        )
        self.evaluate("2026-05")
        self.assertFalse(self.proposal(self.r1, month="2026-05"), "KAM -> MM needs more")
        self.assertFalse(self.proposal(self.r1, kind="demotion", month="2026-05"), "KAM held for less than its window")

    def test_rejected_proposal(self):
        for month in ("2026-01", "2026-02", "2026-03"):
            self.fact(self.r1, month, 11000)
        self.evaluate()
        proposal = self.proposal(self.r1)
        with self.assertRaises(UserError):
            proposal.with_user(self.um).action_approval_reject("")
        proposal.with_user(self.um).action_approval_reject("Not yet: training first")
        self.assertEqual(proposal.state, "rejected")
        with self.assertRaisesRegex(UserError, "are decided"):
            proposal.with_user(self.hr).write({"effective_date": date(2026, 6, 1)})
        self.assertEqual(self.history[self.r1].date_end, False)
        self.assertEqual(self.member[self.r1].role_id, self.role_rep)
        result = self.evaluate()
        self.assertEqual(result["proposed"], 0, "a rejected proposal of the month is not made again")

    def test_idempotent_evaluation(self):
        for month in ("2026-01", "2026-02", "2026-03"):
            self.fact(self.r1, month, 11000)
        first = self.evaluate()
        proposal = self.proposal(self.r1)
        lines = proposal.evidence_line_ids
        messages = len(proposal.message_ids)
        second = self.evaluate()
        self.assertEqual(second["proposed"], 0)
        self.assertEqual(second["updated"], 0)
        self.assertEqual(sorted(second["proposal_ids"]), sorted(first["proposal_ids"]))
        self.assertEqual(self.proposal(self.r1), proposal)
        self.assertEqual(proposal.evidence_line_ids, lines, "unchanged evidence is not rewritten")
        self.assertEqual(len(proposal.message_ids), messages)
        # new facts: the evidence is updated in place, told in the chatter
        self.fact(self.r1, "2026-04", 30000)
        third = self.evaluate()
        self.assertEqual((third["proposed"], third["updated"]), (0, 1))
        self.assertEqual(proposal.months_met, 4)
        self.assertEqual(len(proposal.evidence_line_ids), 4)
        self.assertIn("Evaluated again", proposal.message_ids[0].body)
        # a refund takes two months below: the waiting proposal is withdrawn
        self.fact(self.r1, "2026-02", -5000)
        self.fact(self.r1, "2026-03", -5000)
        fourth = self.evaluate()
        self.assertEqual(fourth["withdrawn"], 1)
        self.assertEqual(proposal.state, "cancel")
        self.assertFalse(proposal.approval_activity_id)
        # the next month: a waiting proposal of another month blocks a new one
        self.fact(self.r2, "2026-03", 11000)
        self.fact(self.r2, "2026-04", 11000)
        self.fact(self.r2, "2026-05", 11000)
        self.evaluate("2026-05")
        self.evaluate("2026-06")  # r2: March is out of June's window, 2 of 4: nothing
        self.assertEqual(len(self.env["sales.promotion.proposal"].search([("user_id", "=", self.r2.id)])), 1)

    def test_demotion_review_never_demotes(self):
        """um holds KAM since 2025 and sold nothing: a demotion review to REP is
        flagged; nothing changes until it is approved."""
        result = self.evaluate()
        self.assertEqual(result["demotion_reviews"], 1)
        review = self.proposal(self.um, kind="demotion")
        self.assertRecordValues(
            review,
            [
                {
                    "target_rank_id": self.rank_rep.id,
                    "current_rank_id": self.rank_kam.id,
                    "months_met": 0,
                    "months_required": 3,
                    "state": "to_approve",
                    "approver_id": self.mm.id,
                }
            ],
        )
        self.assertFalse(self.history[self.um].date_end)
        self.assertEqual(self.member[self.um].role_id, self.role_kam)
        # a fresh KAM (held less than the window) gets no review
        self.history[self.um].date_start = date(2026, 2, 1)
        review.sudo().unlink()
        self.assertEqual(self.evaluate()["demotion_reviews"], 0)

    def test_evaluation_queries_independent_of_members(self):
        for month in ("2026-01", "2026-02", "2026-03"):
            self.fact(self.r1, month, 11000)
        self.fact(self.um, "2026-04", 20000, team=self.market)
        self.score(self.um, "2026-04", 90)
        self.rank_kam.demotion_review = False  # um (KAM) gets no demotion review
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=QUERIES):
            self.evaluate("2026-04", user=self.env.user)
        # eight more reps, some with sales and scores, none proposed
        users = self.env["res.users"]
        for index in range(8):
            users |= self.env["res.users"].create({"name": f"RK extra {index}", "login": f"rk_t_x{index}"})
        members = self.env["crm.team.member"].create(
            [{"crm_team_id": self.unit.id, "user_id": u.id, "role_id": self.role_rep.id} for u in users]
        )
        self.env["sales.rank.history"].create(
            [
                {"user_id": u.id, "rank_id": self.rank_rep.id, "member_id": m.id, "date_start": date(2025, 1, 1)}
                for u, m in zip(users, members, strict=True)
            ]
        )
        for user in users:
            self.fact(user, "2026-05", 5000)
        for month in ("2026-02", "2026-03", "2026-04"):
            self.fact(self.r2, month, 11000)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=QUERIES):
            result = self.evaluate("2026-05", user=self.env.user)
        self.assertEqual(result["evaluated"], 12)
        self.assertEqual(result["proposed"], 1)
        # the evaluation itself, where nobody qualifies: a handful of queries
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=QUERIES_NONE):
            result = self.evaluate("2026-09", user=self.env.user)
        self.assertEqual((result["evaluated"], result["proposed"]), (12, 0))

    def test_rank_history_current(self):
        row = self.history[self.r1]
        self.assertTrue(row.is_current)
        History = self.env["sales.rank.history"]
        self.assertIn(row, History.search([("is_current", "=", True)]))
        row.date_end = date(2025, 6, 30)
        self.assertNotIn(row, History.search([("is_current", "=", True)]))
        self.assertIn(row, History.search([("is_current", "=", False)]))

    def test_ranks_at_a_day(self):
        """What pay reads: the rank (and its bonus tier) each member holds on a day."""
        History = self.env["sales.rank.history"]
        users = (self.r1 | self.um | self.vp).ids
        self.assertEqual(
            History._sales_ranks_at(users, date(2026, 4, 30)), {self.r1.id: self.rank_rep, self.um.id: self.rank_kam}
        )
        self.assertEqual(History._sales_ranks_at(users, date(2024, 12, 31)), {})
        self.history[self.um].date_end = date(2026, 4, 30)
        History.create({"user_id": self.um.id, "rank_id": self.rank_mm.id, "date_start": date(2026, 5, 1)})
        ranks = History._sales_ranks_at(users, date(2026, 5, 31), ladder=self.ladder)
        self.assertEqual(ranks[self.um.id].bonus_rate, 20)
        self.env.invalidate_all()
        with self.assertQueryCount(2):  # the rows, then their ranks
            History._sales_ranks_at(users, date(2026, 5, 31))

    def test_cron_evaluates_last_month(self):
        self.env["sales.promotion.proposal"]._cron_evaluate_ranks()

    def test_evaluate_rights(self):
        with self.assertRaises(AccessError):
            self.evaluate(user=self.r1)
        with self.assertRaises(AccessError):
            self.evaluate(user=self.um)
        with self.assertRaises(UserError):
            self.evaluate(month="April")


# one proposal made (its approval starts: activity, chatter, followers) / none
QUERIES = 102
QUERIES_NONE = 15
