# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_scorecard import SalesScorecardCommon


@tagged("post_install", "-at_install")
class TestSalesScorecardReview(SalesScorecardCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generate(cls)
        cls.card_r1 = cls.card(cls, cls.r1)

    def approve(self, user, cards=None):
        (cards or self.card_r1).with_user(user).action_approval_approve()

    def test_chain_step_by_step(self):
        card = self.card_r1
        card.rubric_line_ids[0].with_user(self.um).rubric_score = 30
        card.with_user(self.um).action_submit()
        self.assertRecordValues(card, [{"state": "to_approve", "approval_step": "leader", "approver_id": self.um.id}])
        for wrong in (self.r2, self.um2):
            with self.assertRaises(AccessError):
                self.approve(wrong)
        self.approve(self.um)
        self.assertRecordValues(card, [{"approval_step": "planning", "leader_approver_id": self.um.id}])
        with self.assertRaises(AccessError):
            self.approve(self.um)
        self.approve(self.planner)
        self.assertRecordValues(card, [{"approval_step": "vp", "approver_id": self.vp.id}])
        self.approve(self.vp)
        self.assertEqual(card.approval_step, "hr")
        self.approve(self.hr)
        self.assertRecordValues(
            card,
            [
                {
                    "state": "approved",
                    "leader_approver_id": self.um.id,
                    "planning_approver_id": self.planner.id,
                    "vp_approver_id": self.vp.id,
                    "hr_approver_id": self.hr.id,
                }
            ],
        )

    def test_return_to_previous_step(self):
        card = self.card_r1
        card.with_user(self.um).action_submit()
        self.approve(self.um)
        self.approve(self.planner)
        card.with_user(self.vp).action_return("The complaints are not counted yet.")
        self.assertRecordValues(card, [{"state": "to_approve", "approval_step": "planning"}])
        self.assertIn("The complaints are not counted yet.", card.message_ids[0].body)
        self.approve(self.planner)
        self.approve(self.vp)
        self.approve(self.hr)
        self.assertEqual(card.state, "approved")

    def test_return_at_first_step(self):
        card = self.card_r1
        card.with_user(self.um).action_submit()
        # the engine's reject (its wizard's action) returns a scorecard too
        card.with_user(self.um).action_approval_reject("Score the dealers first.")
        self.assertRecordValues(card, [{"state": "rejected", "approval_reason": "Score the dealers first."}])
        card.with_user(self.um).action_submit()
        self.assertEqual(card.approval_step, "leader")

    def test_mass_submit_and_approve_a_team(self):
        cards = self.env["sales.scorecard"].search([("team_id", "=", self.unit.id)])
        self.assertEqual(len(cards), 3)
        cards.with_user(self.um).action_submit()
        self.approve(self.um, cards)
        self.assertEqual(set(cards.mapped("approval_step")), {"planning"})

    def test_lock_holds(self):
        card = self.card_r1
        card.with_user(self.um).action_submit()
        for user in (self.um, self.planner, self.vp, self.hr):
            self.approve(user)
        score = card.score
        with self.assertRaisesRegex(UserError, "approved and locked"):
            card.rubric_line_ids[0].with_user(self.um).rubric_score = 10
        with self.assertRaisesRegex(UserError, "approved and locked"):
            card.with_user(self.planner).note = "later"
        with self.assertRaisesRegex(UserError, "approved and locked"):
            card.sudo().write({"absent_days": 0})
        with self.assertRaisesRegex(UserError, "approved and locked"):
            card.with_user(self.planner).action_recompute()
        with self.assertRaisesRegex(UserError, "approved and locked"):
            card.with_user(self.planner).unlink()
        result = self.generate()
        self.assertEqual(result["locked"], 1)
        card.invalidate_recordset()
        self.assertEqual(card.score, score)
        self.assertEqual(card.state, "approved")

    def test_client_cannot_write_figures(self):
        with self.assertRaises(AccessError):
            self.card_r1.with_user(self.planner).write({"absent_days": 0})
        with self.assertRaises(AccessError):
            self.card_r1.kpi_line_ids.with_user(self.planner).write({"actual": 5})
        with self.assertRaises(AccessError):
            self.card_r1.with_user(self.um).rubric_line_ids[0].write({"points": 100})
        with self.assertRaisesRegex(UserError, "Generate Scorecards"):
            self.env["sales.scorecard"].with_user(self.planner).create({"member_id": self.member[self.r1].id})

    def test_member_cannot_score_himself(self):
        card = self.card(self.um)  # um's own card: no rubric; give him a rep's rubric line
        self.assertFalse(card.rubric_line_ids)
        with self.assertRaises(AccessError):
            self.card_r1.rubric_line_ids[0].with_user(self.r1).write({"rubric_score": 10})

    def test_visibility(self):
        Scorecard = self.env["sales.scorecard"]
        ours = Scorecard.search([("member_id", "in", self.members.ids)])
        self.assertEqual(Scorecard.with_user(self.r2).search([("id", "in", ours.ids)]).user_id, self.r2)
        with self.assertRaises(AccessError):
            self.card_r1.with_user(self.r2).read(["score"])
        with self.assertRaises(AccessError):
            self.card_r1.line_ids.with_user(self.r2).read(["score"])
        self.assertEqual(
            Scorecard.with_user(self.um).search([("id", "in", ours.ids)]).user_id,
            self.r1 | self.r2 | self.r3 | self.um,
        )
        self.assertEqual(len(Scorecard.with_user(self.mm).search([("id", "in", ours.ids)])), 6)
        self.assertEqual(len(Scorecard.with_user(self.hr).search([("id", "in", ours.ids)])), 6)
        self.assertEqual(len(Scorecard.with_user(self.planner).search([("id", "in", ours.ids)])), 6)

    def test_only_managers_generate(self):
        with self.assertRaises(AccessError):
            self.generate(user=self.um)

    def test_pdf_in_both_languages(self):
        self.card_r1.rubric_line_ids[0].with_user(self.um).rubric_score = 30
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html("sales_kpi.report_sales_scorecard", self.card_r1.ids)[0].decode()
        self.assertIn("Monthly Score", html)
        self.assertIn("Weekly report", html)
        self.assertIn(f"{self.card_r1.score:.2f}", html)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sales_kpi"], ["zh_CN"], overwrite=True)
        self.r1.partner_id.lang = "zh_CN"
        html = Report._render_qweb_html("sales_kpi.report_sales_scorecard", self.card_r1.ids)[0].decode()
        self.assertIn("月度得分", html)
        self.assertIn(f"{self.card_r1.score:.2f}", html)
