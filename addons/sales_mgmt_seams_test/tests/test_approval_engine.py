# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.sales_team_mgmt.tests.common import SALESMAN, SalesTeamMgmtCommon


@tagged("post_install", "-at_install")
class TestApprovalEngine(SalesTeamMgmtCommon):
    """sales.seams.note gets a two-step approval from the engine alone: the team's
    SEAMS_SSG member, then a sales administrator above 1,000."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ssg = new_test_user(cls.env, login="seams_t_ssg", groups=SALESMAN)
        role = cls.env["sales.role"].create({"name": "Seams SSG", "code": "SEAMS_SSG", "unlimited_authority": True})
        cls.env["crm.team.member"].create({"crm_team_id": cls.unit.id, "user_id": cls.ssg.id, "role_id": role.id})

    def _note(self, amount):
        note = (
            self.env["sales.seams.note"]
            .with_user(self.rep)
            .create({"name": f"Note {amount}", "amount": amount, "team_id": self.unit.id})
        )
        note.action_submit()
        return note

    def test_role_step_then_done(self):
        note = self._note(500)
        self.assertRecordValues(note, [{"state": "to_approve", "approval_step": "ssg", "approver_id": self.ssg.id}])
        self.assertEqual(note.activity_ids.user_id, self.ssg)
        # The approver reads it (the approver rule of the team-scope helper) and approves.
        self.assertEqual(self.env["sales.seams.note"].with_user(self.ssg).search([("can_approve", "=", True)]), note)
        with self.assertRaises(AccessError):
            note.with_user(self.rep2).action_approval_approve()
        note.with_user(self.ssg).action_approval_approve()
        self.assertRecordValues(
            note,
            [{"state": "approved", "approval_step": False, "ssg_approver_id": self.ssg.id, "admin_approver_id": False}],
        )
        self.assertFalse(note.activity_ids)
        self.assertIn(f"Approved by {self.ssg.name} (SSG).", note.message_ids[0].body)

    def test_second_step_above_the_threshold_and_guard(self):
        note = self._note(5000)
        note.with_user(self.ssg).action_approval_approve()
        self.assertRecordValues(note, [{"state": "to_approve", "approval_step": "admin", "approver_id": False}])
        with self.assertRaises(AccessError):
            note.with_user(self.ssg).action_approval_approve()
        with self.assertRaises(AccessError):
            note.with_user(self.rep).write({"state": "approved"})
        with self.assertRaises(AccessError):
            note.with_user(self.rep).with_context(approval_bypass=True).write({"approval_step": False})
        admins = self.env["sales.seams.note"].with_user(self.sales_admin)
        self.assertIn(note, admins.search([("can_approve", "=", True)]))
        note.with_user(self.sales_admin).action_approval_approve()
        self.assertRecordValues(note, [{"state": "approved", "admin_approver_id": self.sales_admin.id}])

    def test_reject_with_reason_and_no_approver(self):
        note = self._note(200)
        action = note.with_user(self.ssg).action_approval_reject()
        self.assertEqual(action["context"], {"default_res_model": "sales.seams.note", "default_res_ids": note.ids})
        wizard = (
            self.env["sales.approval.reject"]
            .with_user(self.ssg)
            .create({"res_model": "sales.seams.note", "res_ids": note.ids, "reason": "Not this quarter"})
        )
        self.assertEqual(wizard.document_names, "Note 200")
        wizard.action_reject()
        self.assertRecordValues(
            note, [{"state": "rejected", "approval_reason": "Not this quarter", "approver_id": self.ssg.id}]
        )
        with self.assertRaises(UserError):
            note.with_user(self.ssg).action_approval_approve()
        # A team without the role: nobody to ask, a clear refusal, nothing written.
        orphan = (
            self.env["sales.seams.note"]
            .with_user(self.rep2)
            .create({"name": "Orphan", "amount": 10, "team_id": self.region2.id})
        )
        with self.assertRaises(UserError) as ctx:
            orphan.action_submit()
        self.assertEqual(str(ctx.exception), "No one can approve Orphan at the step SSG.")

    def test_amount_raised_above_the_approval_asks_again(self):
        note = self._note(500)
        note.with_user(self.ssg).action_approval_approve()
        self.assertRecordValues(note, [{"state": "approved", "approval_approved_amount": 500.0}])
        note.with_user(self.rep).write({"amount": 400.0})
        self.assertEqual(note.state, "approved")
        note.with_user(self.rep).write({"amount": 800.0})
        self.assertRecordValues(note, [{"state": "to_approve", "approval_step": "ssg", "approver_id": self.ssg.id}])
        self.assertIn("The amount rose to 800.0, above the 500.0 approved", note.message_ids[1].body)
        # Above 1,000 the second step comes back too.
        note.with_user(self.ssg).action_approval_approve()
        note.with_user(self.rep).write({"amount": 1500.0})
        note.with_user(self.ssg).action_approval_approve()
        self.assertRecordValues(note, [{"state": "to_approve", "approval_step": "admin"}])

    def test_reject_wizard_refuses_other_models(self):
        wizard = self.env["sales.approval.reject"].create(
            {"res_model": "res.partner", "res_ids": [self.customer.id], "reason": "no"}
        )
        self.assertFalse(wizard.document_names)
        with self.assertRaises(UserError) as ctx:
            wizard.action_reject()
        self.assertEqual(str(ctx.exception), "Only documents of an approval can be rejected here.")
