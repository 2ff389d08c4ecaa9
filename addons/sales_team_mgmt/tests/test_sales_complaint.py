# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SalesTeamMgmtCommon


@tagged("post_install", "-at_install")
class TestSalesComplaint(SalesTeamMgmtCommon):
    def _complaint(self, user=None, **vals):
        values = {
            "partner_id": self.customer.id,
            "user_id": (user or self.rep).id,
            "category": "service_attitude",
            "description": "Two missed appointments.",
        }
        values.update(vals)
        return self.env["sales.complaint"].with_user(self.sales_admin).create(values)

    def test_leader_notified_and_resolution_required(self):
        complaint = self._complaint()
        self.assertRegex(complaint.name, r"^CMP/\d{4}/\d{4}$")
        self.assertEqual(complaint.team_id, self.unit)
        # the rep's unit is led by um: he is notified, follows it, and has a to-do
        self.assertEqual(complaint.leader_id, self.um)
        self.assertIn(self.um.partner_id, complaint.message_partner_ids)
        activity = complaint.activity_ids
        self.assertEqual(
            (activity.user_id, activity.activity_type_id), (self.um, self.env.ref("mail.mail_activity_data_todo"))
        )
        as_leader = complaint.with_user(self.um)
        as_leader.action_start()
        self.assertEqual(complaint.state, "in_progress")
        with self.assertRaisesRollback(ValidationError, r"^Resolution: say what was done"):
            as_leader.action_resolve()
        self.assertEqual(complaint.state, "in_progress")
        as_leader.resolution = "Apologised in person; the rep was coached."
        as_leader.action_resolve()
        self.assertEqual((complaint.state, complaint.closed_by_id), ("resolved", self.um))
        self.assertTrue(complaint.closed_date)
        self.assertFalse(complaint.activity_ids, "the leader's to-do is done when the complaint closes")
        with self.assertRaisesRollback(UserError, "is closed: reopen it to change it"):
            as_leader.category = "quality"
        as_leader.action_reopen()
        self.assertEqual((complaint.state, complaint.closed_date), ("in_progress", False))

    def test_leader_of_a_leader_is_the_next_one_up(self):
        # a complaint about um himself goes to the leader of the region above
        complaint = self._complaint(user=self.um, team_id=self.unit.id)
        self.assertEqual(complaint.leader_id, self.rm)

    def test_the_salesperson_concerned_cannot_handle_it(self):
        complaint = self._complaint()
        as_rep = complaint.with_user(self.rep)
        self.assertEqual(as_rep.name, complaint.name, "the rep reads the complaint about him")
        with self.assertRaisesRollback(UserError, "A complaint about you is handled by your leader"):
            as_rep.severity = "low"
        with self.assertRaisesRollback(UserError, "is about you: a leader handles it"):
            as_rep.action_start()
        with self.assertRaisesRollback(UserError, "Only team leaders and sales administrators close complaints"):
            as_rep.action_resolve()
        self.assertEqual((complaint.state, complaint.severity), ("new", "medium"))

    def test_status_only_through_the_buttons(self):
        with self.assertRaisesRollback(AccessError, "changes through its buttons"):
            self._complaint(state="resolved", resolution="x")
        complaint = self._complaint()
        with self.assertRaisesRollback(AccessError, "changes through its buttons"):
            complaint.with_user(self.um).write({"state": "resolved", "resolution": "x"})
        with self.assertRaisesRollback(UserError, "is New: it cannot become In Progress"):
            complaint.with_user(self.um).action_reopen()
        self.assertEqual(complaint.state, "new")

    def test_order_of_another_customer_refused(self):
        other = self.env["res.partner"].create({"name": "Other Customer"})
        order = self._create_order(1000)
        count = self.env["sales.complaint"].search_count([])
        with self.assertRaisesRollback(
            ValidationError, r"^Order: .* is an order of STM Distributor, not of the customer"
        ):
            self._complaint(partner_id=other.id, order_id=order.id)
        self.assertEqual(self.env["sales.complaint"].search_count([]), count, "nothing written")
        # the order alone gives the customer
        complaint = (
            self.env["sales.complaint"]
            .with_user(self.sales_admin)
            .create({"order_id": order.id, "user_id": self.rep.id, "category": "delivery", "description": "Late."})
        )
        self.assertEqual(complaint.partner_id, self.customer)

    def test_visibility(self):
        mine = self._complaint()
        other = self._complaint(user=self.rep2)
        Complaint = self.env["sales.complaint"]
        both = (mine | other).ids
        # a rep reads only the complaints about him
        self.assertEqual(Complaint.with_user(self.rep).search([("id", "in", both)]), mine)
        with self.assertRaises(AccessError):
            other.with_user(self.rep).read(["description"])
        # the unit leader reads his unit's; the market manager both (subtree); a
        # sibling region's leader only his region's
        self.assertEqual(Complaint.with_user(self.um).search([("id", "in", both)]), mine)
        self.assertEqual(Complaint.with_user(self.mm).search([("id", "in", both)]), mine | other)
        self.assertEqual(Complaint.with_user(self.rm2).search([("id", "in", both)]), other)
        self.assertEqual(Complaint.with_user(self.mm2).search([("id", "in", both)]), Complaint)
        # the market manager reads the unit's complaint but writes only his own unit's
        with self.assertRaises(AccessError):
            mine.with_user(self.mm).write({"severity": "high"})
