# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestSalesInputCheck(BaseCommon):
    """The input check of models/base.py: values of the wrong type for the
    addons' fields are refused with a ValidationError naming the field, before
    anything is written; core fields keep core behaviour."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, login="input_check_rep", groups="sales_team.group_sale_salesman_all_leads")
        cls.customer = cls.env["res.partner"].create({"name": "Input check customer"})
        cls.Visit = cls.env["sales.visit"].with_user(cls.user)
        cls.visit = cls.Visit.create({"partner_id": cls.customer.id})

    def assertRefused(self, values, *words, record=None):
        with self.assertRaises(ValidationError) as error:
            if record is None:
                self.Visit.create({"partner_id": self.customer.id, **values})
            else:
                record.write(values)
        for word in words:
            self.assertIn(word, str(error.exception))

    def test_wrong_types_are_refused_naming_the_field(self):
        count = self.env["sales.visit"].search_count([])
        self.assertRefused({"duration": "ten"}, "(duration)", "whole number")
        self.assertRefused({"team_id": "abc"}, "(team_id)", "expects the id")
        self.assertRefused({"team_id": [1, "Team"]}, "(team_id)")
        self.assertRefused({"visit_type": "lunch"}, "(visit_type)", "visit, call, meeting")
        self.assertRefused({"planned_date": "31/12/2026"}, "(planned_date)", "YYYY-MM-DD")
        self.assertRefused({"outcome": ["a", "b"]}, "(outcome)", "expects a text")
        self.assertRefused({"success": "no"}, "(success)", "true or false")
        self.assertRefused({"no_such_field": 1}, "no_such_field")
        self.assertEqual(self.env["sales.visit"].search_count([]), count)
        self.assertRefused({"duration": "ten"}, "(duration)", record=self.visit.with_user(self.user))
        self.assertEqual(self.visit.duration, 0)

    def test_ids_must_exist_and_companies_be_the_users(self):
        self.assertRefused({"team_id": 2**31 - 1}, "(team_id)", "does not exist")
        other = self.env["res.company"].create({"name": "Input check other company"})
        self.assertRefused({"company_id": other.id}, "(company_id)", "not one of your companies")
        # superuser code is trusted with the ids it passes
        self.env["sales.visit"]._sales_check_input([{"team_id": 2**31 - 1}])

    def test_valid_values_and_core_fields(self):
        visit = self.Visit.create(
            {"partner_id": self.customer.id, "duration": 30, "planned_date": "2026-12-31 10:00:00", "outcome": "Zoë 🚀"}
        )
        self.assertEqual((visit.duration, visit.outcome), (30, "Zoë 🚀"))
        # commands (Command is an IntEnum) and ids are valid x2many values; other values are not
        team = self.env["crm.team"].create({"name": "Input check team"})
        Team = self.env["crm.team"].with_user(self.user)
        Team._sales_check_input(
            [{"child_ids": [Command.update(team.id, {"name": "x"}), Command.link(team.id), Command.set([team.id])]}]
        )
        with self.assertRaises(ValidationError):
            Team._sales_check_input([{"child_ids": [("x",)]}])
        # a field of a core model that the addons do not define is not checked
        self.assertNotIn("name", self.env["res.partner"]._sales_input_fields())
        self.assertIn("sales_visit_ids", self.env["res.partner"]._sales_input_fields())
