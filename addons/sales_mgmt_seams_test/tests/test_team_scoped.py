# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.sales_team_mgmt.tests.common import HIERARCHY, SalesTeamMgmtCommon


@tagged("post_install", "-at_install")
class TestTeamScoped(SalesTeamMgmtCommon):
    """sales.seams.note is team-scoped by the mixin and one rule call: it is seen as
    sale orders are."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Note = cls.env["sales.seams.note"]
        cls.note_unit = Note.create({"name": "Unit note", "user_id": cls.rep.id, "team_id": cls.unit.id})
        cls.note_region2 = Note.create({"name": "Region 2 note", "user_id": cls.rep2.id, "team_id": cls.region2.id})
        cls.note_market2 = Note.create({"name": "Market 2 note", "user_id": cls.mm2.id, "team_id": cls.market2.id})
        cls.notes = cls.note_unit | cls.note_region2 | cls.note_market2

    def _visible(self, user):
        return self.env["sales.seams.note"].with_user(user).search([("id", "in", self.notes.ids)])

    def test_rules_are_created_with_their_xml_ids(self):
        for suffix in ("company", "own", "hierarchy_read", "hierarchy_write", "all"):
            rule = self.env.ref(f"sales_mgmt_seams_test.rule_sales_seams_note_{suffix}")
            self.assertEqual(rule.model_id.model, "sales.seams.note")
        self.assertTrue(self.env.ref("sales_mgmt_seams_test.rule_sales_seams_note_company")["global"])

    def test_defaults_follow_the_salesperson(self):
        note = self.env["sales.seams.note"].with_user(self.rep).create({"name": "Mine"})
        self.assertRecordValues(note, [{"user_id": self.rep.id, "team_id": self.rep.sale_team_id.id}])

    def test_own_hierarchy_and_all(self):
        self.assertEqual(self._visible(self.rep), self.note_unit)
        self.assertEqual(self._visible(self.rm), self.note_unit)
        self.assertEqual(self._visible(self.mm), self.note_unit | self.note_region2)
        self.assertEqual(self._visible(self.gm), self.notes)
        self.assertEqual(self._visible(self.sales_admin), self.notes)
        with self.assertRaises(AccessError):
            self.note_region2.with_user(self.rm).read(["name"])
        # Leaders read below them but write only the teams they lead directly.
        with self.assertRaises(AccessError):
            self.note_unit.with_user(self.mm).write({"name": "Edited by the market manager"})
        self.note_unit.with_user(self.um).write({"name": "Edited by the unit manager"})
        self.assertEqual(self.note_unit.name, "Edited by the unit manager")

    def test_reorganisation_applies_at_once(self):
        self.assertEqual(self._visible(self.mm), self.note_unit | self.note_region2)
        self.region2.parent_id = self.market2
        self.assertEqual(self._visible(self.mm), self.note_unit)
        self.assertEqual(self._visible(self.mm2), self.note_region2 | self.note_market2)
        newcomer = new_test_user(self.env, login="seams_t_newcomer", groups=HIERARCHY)
        self.assertFalse(self._visible(newcomer))
        self.region.user_id = newcomer
        self.assertEqual(self._visible(newcomer), self.note_unit)

    def test_other_company_sees_nothing(self):
        other = self.env["res.company"].create({"name": "Seams Other Company"})
        outsider = new_test_user(
            self.env, login="seams_t_outsider", groups="sales_team.group_sale_salesman_all_leads", company_id=other.id
        )
        outsider.company_ids = other
        self.assertFalse(self._visible(outsider))
