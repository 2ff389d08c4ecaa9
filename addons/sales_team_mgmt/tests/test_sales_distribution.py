# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SALESMAN, SalesTeamMgmtCommon


@tagged("post_install", "-at_install")
class TestSalesDistribution(SalesTeamMgmtCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a = new_test_user(cls.env, login="stm_t_dist_a", groups=SALESMAN, name="Dist A")
        cls.b = new_test_user(cls.env, login="stm_t_dist_b", groups=SALESMAN, name="Dist B")
        cls.c = new_test_user(cls.env, login="stm_t_dist_c", groups=SALESMAN, name="Dist C")
        # the unit's members: its leader (um) distributes to them and writes their leads
        cls.env["crm.team.member"].create(
            [{"crm_team_id": cls.unit.id, "user_id": user.id} for user in (cls.a, cls.b, cls.c)]
        )
        Lead = cls.env["crm.lead"]
        # open loads: A 3, B 0, C 1 (a won lead and a lost one do not count)
        Lead.create([{"name": f"A open {i}", "user_id": cls.a.id} for i in range(3)])
        Lead.create({"name": "C open", "user_id": cls.c.id})
        Lead.create({"name": "B won", "user_id": cls.b.id, "probability": 100})
        Lead.create({"name": "B lost", "user_id": cls.b.id, "active": False})

    def _leads(self, count, prefix="New"):
        return self.env["crm.lead"].create(
            [{"name": f"{prefix} {i}", "user_id": False, "team_id": self.unit.id} for i in range(count)]
        )

    def _wizard(self, records, users, **vals):
        model = records._name
        wizard = (
            self.env["sales.distribution.wizard"]
            .with_user(self.um)
            .with_context(active_model=model, active_ids=records.ids)
            .create(
                {
                    "member_ids": [Command.create({"user_id": user.id, "sequence": i}) for i, user in enumerate(users)],
                    **vals,
                }
            )
        )
        return wizard

    def _lines(self, wizard):
        return {line.user_id: (line.load_before, line.assigned_count, line.load_after) for line in wizard.member_ids}

    def test_uneven_loads_end_balanced(self):
        leads = self._leads(6)
        wizard = self._wizard(leads, self.a | self.b | self.c)
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertFalse(leads.user_id, "the preview assigns nothing")
        # B (0) takes 3, C (1) takes 2, then A, B and C tie at 3: A (listed first) takes the last
        self.assertEqual(self._lines(wizard), {self.a: (3, 1, 4), self.b: (0, 3, 3), self.c: (1, 2, 3)})
        wizard.action_assign()
        self.assertEqual(wizard.state, "done")
        counts = {
            user: len(leads.filtered(lambda lead, user=user: lead.user_id == user)) for user in (self.a, self.b, self.c)
        }
        self.assertEqual(counts, {self.a: 1, self.b: 3, self.c: 2})
        self.assertIn("6 record(s) for 3 member(s); 0 could not be placed", wizard.summary)

    def test_deterministic_ties_and_rerun(self):
        leads = self._leads(2)
        wizard = self._wizard(leads, self.c | self.b)
        wizard.action_preview()
        wizard.action_assign()
        # B (0) takes the first; then B and C tie at 1: C, listed first, takes the second
        self.assertEqual([lead.user_id for lead in leads.sorted("id")], [self.b, self.c])
        # a second run moves nothing...
        again = self._wizard(leads, self.a | self.b | self.c)
        again.action_preview()
        again.action_assign()
        self.assertEqual(again.skipped_count, 2)
        self.assertEqual(leads.sorted("id").mapped("user_id"), self.b | self.c)
        # ...unless asked
        moved = self._wizard(leads, self.a, reassign=True)
        moved.action_preview()
        moved.action_assign()
        self.assertEqual(leads.user_id, self.a)

    def test_cap_holds_and_leftovers_are_listed(self):
        leads = self._leads(7)
        wizard = self._wizard(leads, self.a | self.b | self.c, cap=2)
        wizard.member_ids.filtered(lambda line: line.user_id == self.c).cap = 1
        wizard.action_preview()
        wizard.action_assign()
        self.assertEqual(self._lines(wizard), {self.a: (3, 2, 5), self.b: (0, 2, 2), self.c: (1, 1, 2)})
        self.assertEqual(len(wizard.leftover_lead_ids), 2)
        self.assertFalse(wizard.leftover_lead_ids.user_id)
        self.assertIn("2 could not be placed (every member at their cap)", wizard.summary)

    def test_customers_balance_on_assigned_customers(self):
        Partner = self.env["res.partner"]
        Partner.create([{"name": f"A customer {i}", "user_id": self.a.id} for i in range(2)])
        customers = Partner.create([{"name": f"Renewal {i}", "user_id": False} for i in range(3)])
        wizard = self._wizard(customers, self.a | self.b)
        wizard.action_preview()
        self.assertEqual(self._lines(wizard)[self.a][0], 2)
        wizard.action_assign()
        # B (0) takes two, then A and B tie at 2: A (listed first) takes the third
        self.assertEqual([len(customers.filtered(lambda p, u=u: p.user_id == u)) for u in (self.a, self.b)], [1, 2])

    def test_bad_input_and_rights(self):
        leads = self._leads(1)
        with self.assertRaisesRollback(UserError, "^Members: choose who the records go to"):
            self._wizard(leads, self.env["res.users"]).action_preview()
        with self.assertRaisesRollback(UserError, "^Cap per Member: a cap cannot be negative"):
            self._wizard(leads, self.a, cap=-1).action_preview()
        self.assertFalse(leads.user_id, "nothing written")
        # a rep does not distribute
        with self.assertRaises(AccessError):
            self.env["sales.distribution.wizard"].with_user(self.rep).create({"lead_ids": [Command.set(leads.ids)]})
