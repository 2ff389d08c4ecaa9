# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestSalesKpi(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi_manager = new_test_user(cls.env, login="kpi_manager", groups="sales_kpi.group_sales_kpi_manager")
        cls.salesman = new_test_user(cls.env, login="kpi_salesman", groups="sales_team.group_sale_salesman")

    def test_manager_defines_kpi(self):
        kpi = self.env["sales.kpi"].with_user(self.kpi_manager).create({"code": "MANUAL_1", "name": "Manual score"})
        self.assertRecordValues(
            kpi, [{"source": "manual", "unit": "amount", "direction": "higher", "company_id": self.env.company.id}]
        )
        self.assertEqual(kpi.display_name, "[MANUAL_1] Manual score")

    def test_unit_follows_the_source(self):
        """A built-in source sets its unit (it decides whether targets split or
        are passed down); a unit that contradicts it is refused."""
        Kpi = self.env["sales.kpi"].with_user(self.kpi_manager)
        kpi = Kpi.create({"code": "UNIT_1", "name": "Collection", "source": "collection_rate"})
        self.assertEqual(kpi.unit, "percent")
        kpi.source = "orders"
        self.assertEqual(kpi.unit, "count")
        with self.assertRaises(ValidationError) as error:
            kpi.unit = "amount"
        self.assertIn("its unit is Count", str(error.exception))
        with self.assertRaises(ValidationError):
            Kpi.create({"code": "UNIT_2", "name": "Sales in %", "source": "sales", "unit": "percent"})
        self.assertFalse(Kpi.search([("code", "=", "UNIT_2")]))
        # manual (and custom) KPIs take the unit they are given, and keep it
        kpi.write({"source": "manual", "unit": "minutes"})
        self.assertEqual(kpi.unit, "minutes")

    def test_bad_code_refused(self):
        # BaseCase.assertRaises (not assertRaisesRegex) rolls back to a savepoint,
        # as a real request does when it fails.
        with self.assertRaises(ValidationError) as error:
            self.env["sales.kpi"].create({"code": "bad code!", "name": "Bad"})
        self.assertIn("letters, digits and underscores", str(error.exception))
        self.assertFalse(self.env["sales.kpi"].search([("name", "=", "Bad")]))

    def test_salesman_cannot_define_kpi(self):
        with self.assertRaises(AccessError):
            self.env["sales.kpi"].with_user(self.salesman).create({"code": "X", "name": "X"})
