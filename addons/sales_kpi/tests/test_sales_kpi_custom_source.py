# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.sales_kpi.models import sales_kpi as sales_kpi_module

from .common import SalesKpiCommon


@tagged("post_install", "-at_install")
class TestSalesKpiCustomSource(SalesKpiCommon):
    """A custom KPI is validated, when saved, with the rights of its author:
    a KPI manager (a salesman, not an accountant nor an administrator here)
    cannot define one on a model or on fields they may not read."""

    def _field(self, model, name):
        return self.env["ir.model.fields"]._get(model, name)

    def _vals(self, model="sale.order", date_field="date_order", user_field="user_id", **vals):
        values = {
            "code": "KPIT_CUSTOM_ACL",
            "name": "Custom ACL",
            "unit": "count",
            "source": "custom",
            "custom_model_id": self.env["ir.model"]._get(model).id,
            "custom_domain": "[]",
            "custom_date_field_id": self._field(model, date_field).id,
            "custom_user_field_id": self._field(model, user_field).id,
            "custom_aggregate": "count",
        }
        values.update(vals)
        return values

    def assertRefused(self, vals, message):
        """Creating the KPI as the KPI manager fails with ``message``, and writes nothing."""
        Kpi = self.env["sales.kpi"].with_user(self.kpi_manager)
        with self.assertRaises(ValidationError) as error:
            Kpi.create(vals)
        self.assertIn("The custom source of KPI [KPIT_CUSTOM_ACL] Custom ACL is invalid", str(error.exception))
        self.assertIn(message, str(error.exception))
        self.assertFalse(self.env["sales.kpi"].search([("code", "=", "KPIT_CUSTOM_ACL")]))

    def test_a_manager_defines_a_custom_kpi_on_what_they_read(self):
        kpi = (
            self.env["sales.kpi"]
            .with_user(self.kpi_manager)
            .create(self._vals(custom_domain="[('state', '=', 'sale')]"))
        )
        values = self.values(kpi, "user", self.u1, ["2025-03"])
        self.assertEqual(values[(self.u1.id, "2025-03")], 2)
        # neither the manager nor a salesperson reads models and fields (metadata):
        # the values are computed all the same
        rows = kpi.with_user(self.u1).compute_values("user", [self.u1.id], ["2025-03"])
        self.assertEqual(rows[0]["value"], 2)

    def test_abstract_transient_and_tableless_models_refused(self):
        self.assertRefused(self._vals(custom_model_id=self.env["ir.model"]._get("mail.thread").id), "abstract")
        self.assertRefused(
            self._vals("sale.advance.payment.inv", "create_date", "create_uid"), "is transient (a wizard)"
        )
        with patch.object(sales_kpi_module, "table_kind", return_value=None):
            self.assertRefused(self._vals(), "The model sale.order has no table")

    def test_model_the_author_cannot_read_refused(self):
        # system parameters are for administrators only
        self.assertRefused(
            self._vals("ir.config_parameter", "create_date", "create_uid"),
            "You are not allowed to read records of ir.config_parameter",
        )

    def test_fields_the_author_cannot_read_refused(self):
        # the credit limit of a customer is for accountants only
        vals = self._vals(
            "res.partner",
            "create_date",
            "user_id",
            custom_aggregate="sum",
            custom_measure_field_id=self._field("res.partner", "credit_limit").id,
            unit="amount",
        )
        self.assertRefused(vals, "You are not allowed to read the measure field credit_limit")
        vals = self._vals("res.partner", "create_date", "user_id", custom_domain="[('credit_limit', '>', 0)]")
        self.assertRefused(vals, "You are not allowed to read the field credit_limit of res.partner")
        vals["custom_domain"] = "[('commercial_partner_id.credit_limit', '>', 0)]"
        self.assertRefused(vals, "You are not allowed to read the field credit_limit of res.partner")
        # the same definitions pass for a superuser (they are data, e.g. an addon's)
        self.env["sales.kpi"].create(vals)

    def test_aggregate_and_measure_required(self):
        self.assertRefused(self._vals(custom_aggregate=False), "Choose the aggregate.")
        self.assertRefused(self._vals(custom_aggregate="sum"), "Choose the measure field.")

    def test_write_checked_with_the_writers_rights(self):
        kpi = self.env["sales.kpi"].with_user(self.kpi_manager).create(self._vals())
        with self.assertRaises(ValidationError) as error:
            kpi.with_user(self.kpi_manager).write(
                {
                    "custom_model_id": self.env["ir.model"]._get("ir.config_parameter").id,
                    "custom_date_field_id": self._field("ir.config_parameter", "create_date").id,
                    "custom_user_field_id": self._field("ir.config_parameter", "create_uid").id,
                }
            )
        self.assertIn("You are not allowed to read records of ir.config_parameter", str(error.exception))
        self.assertEqual(kpi.custom_model, "sale.order", "nothing written")
        with self.assertRaises(ValidationError) as error:
            kpi.with_user(self.kpi_manager).write({"custom_aggregate": False})
        self.assertIn("Choose the aggregate.", str(error.exception))
        self.assertEqual(kpi.custom_aggregate, "count", "nothing written")
