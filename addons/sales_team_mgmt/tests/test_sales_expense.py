# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SalesTeamMgmtCommon


@tagged("post_install", "-at_install")
class TestSalesExpense(SalesTeamMgmtCommon):
    """Expenses are approved by the nearest leader whose role's maximum expense
    amount covers them (the approval engine's authority helpers)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_rep.max_expense_amount = 1000
        cls.role_um.max_expense_amount = 5000
        cls.role_rm.max_expense_amount = 10000
        cls.role_mm.max_expense_amount = 30000

    def _expense(self, amount, user=None, **vals):
        user = user or self.rep
        return (
            self.env["sales.expense"]
            .with_user(user)
            .create(dict({"amount": amount, "category": "travel", "description": "Trip to a customer"}, **vals))
        )

    def test_expense_goes_to_the_nearest_leader_who_covers_it(self):
        small = self._expense(3000)
        self.assertRecordValues(small, [{"team_id": self.unit.id, "state": "draft"}])
        self.assertRegex(small.name, r"^EXP/\d{4}/\d{4}$")
        small.action_submit()
        self.assertRecordValues(
            small, [{"state": "to_approve", "approval_step": "authority", "approver_id": self.um.id}]
        )
        self.assertEqual(small.activity_ids.user_id, self.um)
        self.assertIn("3,000.00", small.activity_ids.summary)
        # Above the unit manager's 5,000 and the region manager's 10,000: the market manager.
        middle = self._expense(20000)
        middle.action_submit()
        self.assertEqual(middle.approver_id, self.mm)
        # Above every role: the market's SLT member in charge, unlimited.
        large = self._expense(50000)
        large.action_submit()
        self.assertEqual(large.approver_id, self.director)
        # The unit manager's own expense goes to the next leader up.
        own = self._expense(1000, user=self.um)
        own.action_submit()
        self.assertEqual(own.approver_id, self.rm)

    def test_approve_and_who_may(self):
        expense = self._expense(3000)
        expense.action_submit()
        with self.assertRaises(AccessError):
            expense.with_user(self.rep).action_approve()
        with self.assertRaises(AccessError):
            self.env["sales.expense"].browse(expense.id).with_user(self.rep2).read(["amount"])
        # The region manager, above the approver, whose 10,000 covers it, may approve.
        as_rm = expense.with_user(self.rm)
        self.assertTrue(as_rm.can_approve)
        self.assertEqual(self.env["sales.expense"].with_user(self.um).search([("can_approve", "=", True)]), expense)
        as_rm.action_approve()
        self.assertRecordValues(expense, [{"state": "approved", "approved_by_id": self.rm.id, "approval_step": False}])
        self.assertFalse(expense.activity_ids)
        self.assertIn("Expense approved by Stm T Rm", expense.message_ids[0].body)
        # Frozen once approved.
        with self.assertRaisesRollback(UserError, "cannot be edited"):
            expense.with_user(self.rep).write({"amount": 2000})
        with self.assertRaisesRollback(UserError, "cannot be cancelled"):
            expense.with_user(self.rep).action_cancel()

    def test_reject_edit_and_submit_again(self):
        expense = self._expense(3000)
        expense.action_submit()
        expense.with_user(self.um).action_reject("Attach the receipts")
        self.assertRecordValues(expense, [{"state": "rejected", "approval_reason": "Attach the receipts"}])
        expense.with_user(self.rep).write({"amount": 12000})
        expense.with_user(self.rep).action_submit()
        self.assertRecordValues(expense, [{"state": "to_approve", "approver_id": self.mm.id}])
        expense.with_user(self.rep).action_cancel()
        self.assertRecordValues(expense, [{"state": "cancel", "approval_step": False}])
        self.assertFalse(expense.activity_ids)
        expense.with_user(self.rep).action_draft()
        self.assertEqual(expense.state, "draft")
        expense.with_user(self.rep).unlink()
        self.assertFalse(expense.exists())

    def test_bad_input_is_refused(self):
        Expense = self.env["sales.expense"].with_user(self.rep)
        count = Expense.search_count([])
        with self.assertRaisesRollback(ValidationError, "^Amount: "):
            self._expense(0)
        with self.assertRaisesRollback(ValidationError, "^Amount: "):
            self._expense(-50)
        with self.assertRaisesRollback(ValidationError, "^Salesperson: "):
            self._expense(100, user_id=self.rep2.id)
        with self.assertRaisesRollback(AccessError, "cannot be written directly"):
            self._expense(100, state="approved")
        self.assertEqual(Expense.search_count([]), count)
        expense = self._expense(100)
        with self.assertRaisesRollback(AccessError, "cannot be written directly"):
            expense.write({"state": "approved"})
        with self.assertRaisesRollback(AccessError, "cannot be written directly"):
            expense.write({"approver_id": self.rep.id})
        expense.action_submit()
        with self.assertRaisesRollback(UserError, "cannot be edited"):
            expense.write({"amount": 50})
        with self.assertRaisesRollback(UserError, "already submitted"):
            expense.action_submit()
        with self.assertRaisesRollback(UserError, "Only a draft or cancelled expense can be deleted"):
            expense.unlink()
        with self.assertRaisesRollback(UserError, r"^Only a rejected or cancelled expense goes back to draft \(EXP/"):
            expense.action_draft()
        self.assertRecordValues(expense, [{"amount": 100.0, "state": "to_approve", "approver_id": self.um.id}])

    def test_mass_approval_by_a_sales_administrator(self):
        expenses = self._expense(300) | self._expense(40000)
        expenses.action_submit()
        self.assertEqual(expenses.mapped("approver_id"), self.um | self.director)
        expenses.with_user(self.sales_admin).action_approve()
        self.assertEqual(expenses.mapped("state"), ["approved", "approved"])
        self.assertEqual(expenses.approved_by_id, self.sales_admin)

    def test_nobody_covers(self):
        # No SLT leader in the company (the demo's included), none in charge of the market.
        self.env["crm.team"].search([("team_type", "=", "slt")]).write({"user_id": False})
        self.market.slt_user_id = False
        expense = self._expense(50000)
        with self.assertRaisesRollback(UserError, "No leader up the sales organisation can approve"):
            expense.action_submit()
        self.assertEqual(expense.state, "draft")

    def test_the_approvers_activity_is_in_the_approvers_language(self):
        """The rep writes in English, his unit manager reads Chinese: the activity
        the manager gets is in Chinese (the chatter note stays the rep's)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sales_team_mgmt"], ["zh_CN"], overwrite=True)
        self.um.lang = "zh_CN"
        self.rep.lang = "en_US"
        expense = self._expense(3000)
        expense.action_submit()
        activity = expense.activity_ids
        self.assertEqual(activity.user_id, self.um)
        self.assertRegex(activity.summary, r"^审批费用 EXP/")
        self.assertNotIn("asks for the approval", str(activity.note))
        self.assertIn("Approval requested from", expense.message_ids[0].body)
