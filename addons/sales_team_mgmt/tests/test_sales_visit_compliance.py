# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import calendar
from datetime import datetime, time

from odoo import fields
from odoo.tests import tagged

from .common import SalesTeamMgmtCommon


@tagged("post_install", "-at_install")
class TestSalesVisitCompliance(SalesTeamMgmtCommon):
    """Visits required by the customers' classes against those planned and done,
    per salesperson, team, class and month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Class = cls.env["sales.customer.class"]
        Class.search([]).active = False  # the demo's classes
        cls.vip = Class.create({"name": "VC VIP", "code": "VC-VIP", "min_sales": 1000000, "visit_interval": 30})
        cls.level1 = Class.create({"name": "VC L1", "code": "VC-L1", "min_sales": 300000, "visit_interval": 60})
        cls.other = Class.create({"name": "VC Other", "code": "VC-O", "min_sales": 0, "visit_interval": 0})
        Partner = cls.env["res.partner"].with_company(cls.company)
        cls.vip1, cls.vip2, cls.l1, cls.plain = Partner.create(
            [{"name": f"VC {name}", "user_id": cls.rep.id} for name in ("vip1", "vip2", "l1", "plain")]
        )
        (cls.vip1 | cls.vip2).sudo().write({"sales_class_id": cls.vip.id})
        cls.l1.sudo().write({"sales_class_id": cls.level1.id})
        cls.plain.sudo().write({"sales_class_id": cls.other.id})
        cls.rep2_customer = Partner.create({"name": "VC rep2 VIP", "user_id": cls.rep2.id})
        cls.rep2_customer.sudo().write({"sales_class_id": cls.vip.id})
        today = fields.Date.context_today(cls.env.user.with_context(tz="UTC"))
        cls.month = today.replace(day=1)
        cls.days = calendar.monthrange(today.year, today.month)[1]
        noon = datetime.combine(cls.month, time(12))
        Visit = cls.env["sales.visit"]
        base = {"user_id": cls.rep.id, "company_id": cls.company.id, "planned_date": noon}
        Visit.create({**base, "partner_id": cls.vip1.id}).action_done()
        Visit.create({**base, "partner_id": cls.vip2.id})  # planned, not done
        cancelled = Visit.create({**base, "partner_id": cls.l1.id})
        cancelled.action_cancel()

    def _rows(self, user=None, **domain):
        Report = self.env["sales.visit.compliance"].with_user(user or self.env.user).with_context(tz="UTC")
        rows = Report.search_read(
            [("month", "=", self.month)] + [(key, "=", value) for key, value in domain.items()],
            ["user_id", "class_id", "required", "planned", "done", "shortfall"],
        )
        return {(row["user_id"][0], row["class_id"] and row["class_id"][0]): row for row in rows}

    def test_required_planned_done_per_class(self):
        rows = self._rows(user_id=self.rep.id)
        vip = rows[(self.rep.id, self.vip.id)]
        self.assertAlmostEqual(vip["required"], 2 * self.days / 30)
        self.assertEqual((vip["planned"], vip["done"]), (2, 1))
        self.assertAlmostEqual(vip["shortfall"], max(2 * self.days / 30 - 1, 0))
        level1 = rows[(self.rep.id, self.level1.id)]
        self.assertAlmostEqual(level1["required"], self.days / 60)
        self.assertEqual((level1["planned"], level1["done"]), (0, 0), "a cancelled visit is not planned")
        self.assertNotIn((self.rep.id, self.other.id), rows, "a class without an interval requires nothing")
        # twelve months back, the required visits are there too
        past = self.env["sales.visit.compliance"].search_count(
            [("user_id", "=", self.rep.id), ("class_id", "=", self.vip.id)]
        )
        self.assertEqual(past, 13)

    def test_rows_follow_the_team_rules(self):
        self.assertEqual(set(self._rows(user=self.rep)), {(self.rep.id, self.vip.id), (self.rep.id, self.level1.id)})
        self.assertEqual(set(self._rows(user=self.rep2)), {(self.rep2.id, self.vip.id)})
        # the unit leader reads his unit's salesperson (rep), not rep2 of another region
        led = {user_id for user_id, _class in self._rows(user=self.um)}
        self.assertIn(self.rep.id, led)
        self.assertNotIn(self.rep2.id, led)
