# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.sales_team_mgmt.tests.common import SalesTeamMgmtCommon

LOCKED = "Claim {amount} is approved: it is a snapshot and never changes; a correction goes into a new document."


@tagged("post_install", "-at_install")
class TestApprovalHelpers(SalesTeamMgmtCommon):
    """sales.seams.claim takes the engine's threshold steps, nearest-leader step
    and approved-snapshot lock by declaration alone."""

    def _claim(self, amount, user=None, team=None):
        user = user or self.rep
        claim = (
            self.env["sales.seams.claim"]
            .with_user(user)
            .create({"name": f"Claim {amount}", "amount": amount, "team_id": (team or self.unit).id})
        )
        claim.action_submit()
        return claim

    def test_below_the_threshold_the_nearest_leader(self):
        claim = self._claim(1000)  # at the threshold: still below
        self.assertRecordValues(claim, [{"state": "to_approve", "approval_step": "leader", "approver_id": self.um.id}])
        self.assertEqual(claim.activity_ids.user_id, self.um)
        # A leader above may act for the unit leader; the claimant and another region's leader may not.
        self.assertEqual(claim._approval_filter_allowed(self.rm), claim)
        self.assertFalse(claim._approval_filter_allowed(self.rm2))
        with self.assertRaises(AccessError):
            claim.with_user(self.rm2).action_approval_approve()
        claim.with_user(self.rm).action_approval_approve()
        self.assertRecordValues(claim, [{"state": "approved", "leader_approver_id": self.rm.id}])
        # The hook wrote past the lock.
        self.assertTrue(claim.approved_on)

    def test_the_leader_is_never_the_claimant(self):
        claim = self._claim(10, user=self.um)
        self.assertEqual(claim.approver_id, self.rm)
        self.assertFalse(claim._approval_filter_allowed(self.um))

    def test_above_the_threshold_the_group(self):
        claim = self._claim(1000.01)
        self.assertRecordValues(claim, [{"approval_step": "admin", "approver_id": False}])
        with self.assertRaises(AccessError):
            claim.with_user(self.um).action_approval_approve()
        claim.with_user(self.sales_admin).action_approval_approve()
        self.assertRecordValues(claim, [{"state": "approved", "admin_approver_id": self.sales_admin.id}])

    def test_no_leader_up_the_tree(self):
        lone = self.env["crm.team"].create({"name": "Lone", "code": "T-LONE"})
        claim = self.env["sales.seams.claim"].with_user(self.rep).create({"name": "Lone claim", "team_id": lone.id})
        with self.assertRaises(UserError) as ctx:
            claim.action_submit()
        self.assertEqual(
            str(ctx.exception),
            "No team leader above Lone claim can approve them: give their team or a team above a leader.",
        )
        self.assertEqual(claim.state, "draft")

    def test_approved_is_a_snapshot(self):
        claim = self._claim(200)
        claim.with_user(self.um).action_approval_approve()
        for values in ({"amount": 300}, {"name": "Other", "note": "both"}):
            for writer in (claim.with_user(self.rep), claim.sudo()):
                with self.assertRaises(UserError) as ctx:
                    writer.write(values)
                self.assertEqual(str(ctx.exception), LOCKED.format(amount=200))
        # A context sent by a client does not lift it.
        with self.assertRaises(UserError):
            claim.sudo().with_context(sales_approval_engine_write=True).write({"amount": 300})
        for deleter in (claim.with_user(self.rep), claim.sudo()):
            with self.assertRaises(UserError) as ctx:
                deleter.unlink()
            self.assertEqual(str(ctx.exception), LOCKED.format(amount=200))
        # Its note (the model's writable fields) and its chatter still change.
        claim.with_user(self.rep).write({"note": "Paid on the 5th."})
        claim.with_user(self.rep).message_post(body="Receipt filed.")
        self.assertRecordValues(claim, [{"amount": 200.0, "name": "Claim 200", "note": "Paid on the 5th."}])

    def test_a_rejected_claim_is_not_locked(self):
        claim = self._claim(200)
        claim.with_user(self.um).action_approval_reject("Receipt missing.")
        claim.with_user(self.rep).write({"amount": 250})
        claim.action_submit()
        self.assertRecordValues(claim, [{"state": "to_approve", "approver_id": self.um.id}])
