# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestOsbCreditPolicy(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.credit_manager = new_test_user(
            cls.env, login="osb_credit_manager", groups="osb_credit.group_osb_credit_manager"
        )
        cls.salesman = new_test_user(cls.env, login="osb_salesman", groups="sales_team.group_sale_salesman")
        cls.company_b = cls.env["res.company"].create({"name": "OSB Company B"})

    def test_policy_created_on_first_use_with_defaults(self):
        Policy = self.env["osb.credit.policy"]
        self.assertFalse(Policy.search([("company_id", "=", self.company_b.id)]))
        policy = Policy._get_policy(self.company_b)
        self.assertRecordValues(
            policy, [{"company_id": self.company_b.id, "new_customer_limit": 50000.0, "new_customer_months": 3}]
        )
        self.assertEqual(Policy._get_policy(self.company_b), policy, "one policy per company")

    def test_only_credit_manager_changes_policy(self):
        policy = self.env["osb.credit.policy"]._get_policy()
        with self.assertRaises(AccessError):
            policy.with_user(self.salesman).write({"new_customer_limit": 1.0})
        policy.with_user(self.credit_manager).write({"new_customer_limit": 80000.0})
        self.assertEqual(policy.new_customer_limit, 80000.0)

    @mute_logger("odoo.sql_db")
    def test_negative_new_customer_limit_refused(self):
        policy = self.env["osb.credit.policy"]._get_policy()
        with self.assertRaises(IntegrityError):
            policy.write({"new_customer_limit": -5.0})
            policy.flush_recordset()
