# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SALESMAN, SalesTeamMgmtCommon


@tagged("post_install", "-at_install")
class TestSalesCustomerClassAndVisits(SalesTeamMgmtCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Class = cls.env["sales.customer.class"]
        Class.search([]).active = False  # the demo's classes
        cls.vip = Class.create({"name": "VIP", "code": "T-VIP", "min_sales": 1000000, "visit_interval": 30})
        cls.level1 = Class.create({"name": "Level 1", "code": "T-L1", "min_sales": 300000, "visit_interval": 60})
        cls.level2 = Class.create({"name": "Level 2", "code": "T-L2", "min_sales": 50000, "visit_interval": 90})
        cls.other = Class.create({"name": "Other", "code": "T-OTHER", "min_sales": 0, "visit_interval": 0})
        Partner = cls.env["res.partner"]
        cls.customers = {}
        # confirmed sales of the last 12 months, at each threshold and just below it
        for name, amount in (
            ("vip", 1000000),
            ("below_vip", 999999.99),
            ("level1", 300000),
            ("level2", 50000),
            ("below_level2", 49999.99),
        ):
            partner = Partner.create({"name": f"Class {name}", "user_id": cls.rep.id})
            cls.customers[name] = partner
            order = cls.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "user_id": cls.sales_admin.id,  # no role: confirms as in core Odoo
                    "order_line": [
                        Command.create({"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": amount})
                    ],
                }
            )
            order.action_confirm()
        # an old order (13 months ago) does not count
        old = Partner.create({"name": "Class old", "user_id": cls.rep.id})
        cls.customers["old"] = old
        order = cls.env["sale.order"].create(
            {
                "partner_id": old.id,
                "user_id": cls.sales_admin.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": 2000000})
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime.now() - timedelta(days=400)

    def _class(self, name):
        return self.customers[name].with_company(self.company).sales_class_id

    def test_classification_at_the_thresholds(self):
        Partner = self.env["res.partner"]
        done = Partner._cron_sales_classify()
        self.assertGreaterEqual(done, 5)
        self.assertEqual(self._class("vip"), self.vip)
        self.assertEqual(self._class("below_vip"), self.level1)
        self.assertEqual(self._class("level1"), self.level1)
        self.assertEqual(self._class("level2"), self.level2)
        self.assertEqual(self._class("below_level2"), self.other)
        self.assertFalse(self._class("old"), "no sales in the last 12 months: not classified")
        history = self.env["sales.customer.class.history"].search([("partner_id", "=", self.customers["vip"].id)])
        self.assertRecordValues(history, [{"class_id": self.vip.id, "automatic": True, "sales_12m": 1000000}])
        # a second run changes nothing
        self.assertEqual(Partner._cron_sales_classify(), 0)
        self.assertEqual(
            len(self.env["sales.customer.class.history"].search([("partner_id", "=", self.customers["vip"].id)])), 1
        )

    def test_a_class_set_by_hand_survives_the_classification(self):
        customer = self.customers["below_level2"]
        wizard = (
            self.env["sales.customer.class.set"]
            .with_user(self.sales_admin)
            .with_context(active_model="res.partner", active_ids=customer.ids)
            .create({"class_id": self.vip.id, "reason": "Strategic account"})
        )
        wizard.action_apply()
        self.env["res.partner"]._cron_sales_classify()
        self.assertEqual(self._class("below_level2"), self.vip)
        self.assertTrue(customer.with_company(self.company).sales_class_manual)
        history = self.env["sales.customer.class.history"].search([("partner_id", "=", customer.id)])
        self.assertRecordValues(
            history,
            [
                {
                    "class_id": self.vip.id,
                    "automatic": False,
                    "reason": "Strategic account",
                    "user_id": self.sales_admin.id,
                }
            ],
        )
        # back to automatic: the next run classifies it on its sales
        customer.with_user(self.sales_admin).action_sales_class_automatic()
        self.env["res.partner"]._cron_sales_classify()
        self.assertEqual(self._class("below_level2"), self.other)
        # a rep cannot set classes
        with self.assertRaises(AccessError):
            self.env["sales.customer.class.set"].with_user(self.rep).create(
                {"partner_ids": [Command.set(customer.ids)], "class_id": self.vip.id, "reason": "x"}
            ).action_apply()

    def test_setting_a_class_by_hand_needs_a_reason_and_a_class_of_the_company(self):
        customer = self.customers["level2"].with_user(self.sales_admin)
        with self.assertRaisesRollback(UserError, "^Reason: say why the class is set by hand"):
            customer.action_sales_set_class(self.vip.id, "  ")
        other = self.env["res.company"].create({"name": "STM Class Company"})
        foreign = self.env["sales.customer.class"].create({"name": "Far", "code": "T-FAR", "company_id": other.id})
        with self.assertRaisesRollback(UserError, "^Class: .* is not a customer class of"):
            customer.action_sales_set_class(foreign.id, "x")
        with self.assertRaisesRollback(UserError, "^Class: .* is not a customer class of"):
            customer.action_sales_set_class(999999999, "x")
        self.assertFalse(self._class("level2"), "nothing written")
        self.assertFalse(self.env["sales.customer.class.history"].search([("partner_id", "=", customer.id)]))

    def test_classification_in_batches_resumes(self):
        Partner = self.env["res.partner"]
        total = len(Partner._sales_classification_changes(self.company))
        self.assertGreaterEqual(total, 5)
        runs = []
        while not runs or runs[-1]:
            runs.append(Partner._cron_sales_classify(limit=2))
        self.assertEqual(runs, [2] * (total // 2) + ([total % 2] if total % 2 else []) + [0])
        self.assertEqual(self._class("level2"), self.level2)
        self.assertFalse(Partner._sales_classification_changes(self.company))

    def test_visit_planning(self):
        Partner = self.env["res.partner"]
        Partner._cron_sales_classify()
        Visit = self.env["sales.visit"]
        vip = self.customers["vip"]
        Visit.create(
            {
                "partner_id": vip.id,
                "user_id": self.rep.id,
                "planned_date": datetime(2026, 11, 20, 9),
                "done_date": datetime(2026, 11, 20, 10),
                "duration": 60,
            }
        )
        with freeze_time("2026-12-01 08:00:00"):
            planned = Visit._cron_plan_visits()
            # VIP, Level 1 (x2), Level 2: the "other" class plans nothing
            self.assertGreaterEqual(planned, 4)
            visits = Visit.search(
                [("state", "=", "planned"), ("partner_id", "in", [c.id for c in self.customers.values()])]
            )
            self.assertEqual(len(visits), 4)
            by_partner = {visit.partner_id: visit for visit in visits}
            self.assertEqual(by_partner[vip].planned_date.date(), date(2026, 12, 20), "last done visit + 30 days")
            self.assertEqual(
                by_partner[self.customers["level1"]].planned_date.date(), date(2026, 12, 1), "never visited: today"
            )
            self.assertNotIn(self.customers["below_level2"], by_partner)
            self.assertEqual(by_partner[vip].user_id, self.rep)
            self.assertEqual(by_partner[vip].activity_ids.user_id, self.rep)
            # run again: nothing planned twice
            self.assertEqual(Visit._cron_plan_visits(), 0)
            # done: the next run plans the next one from it
            by_partner[self.customers["level1"]].with_user(self.rep).action_done()
            done = by_partner[self.customers["level1"]]
            self.assertFalse(
                self.env["mail.activity"].search([("res_model", "=", "sales.visit"), ("res_id", "=", done.id)]),
                "the visit's activity is done with it",
            )
            self.assertEqual(Visit._cron_plan_visits(), 1)
            following = Visit.search([("state", "=", "planned"), ("partner_id", "=", self.customers["level1"].id)])
            self.assertEqual(following.planned_date.date(), date(2026, 12, 1) + timedelta(days=60))

    def test_visit_planning_queries_do_not_grow_with_the_salespeople(self):
        Visit = self.env["sales.visit"]
        self.env["res.partner"]._cron_sales_classify()
        Visit._cron_plan_visits()  # the customers of the set-up

        def plan(count):
            for n in range(count):
                user = new_test_user(self.env, login=f"stm_t_plan_{count}_{n}", groups=SALESMAN)
                partner = self.env["res.partner"].create({"name": f"Plan {count} {n}", "user_id": user.id})
                partner.write({"sales_class_id": self.vip.id})
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.assertEqual(Visit._cron_plan_visits(), count)
            return self.env.cr.sql_log_count - start

        self.assertEqual(plan(3), plan(9))
        visits = Visit.search([("partner_id.name", "=like", "Plan 9 %")])
        self.assertEqual(len(visits), 9)
        self.assertEqual(visits.activity_ids.user_id, visits.user_id)
        self.assertFalse(visits.message_follower_ids, "the salespeople own their visits: no follower rows")

    def test_bad_visits_refused(self):
        Visit = self.env["sales.visit"].with_user(self.rep)
        count = Visit.search_count([])
        base = {"partner_id": self.customer.id, "planned_date": datetime(2026, 12, 1, 9)}
        with self.assertRaisesRollback(ValidationError, r"^Duration \(minutes\): -5 is negative"):
            Visit.create({**base, "duration": -5})
        with self.assertRaisesRollback(ValidationError, r"^Done: the visit of STM Distributor cannot be done on"):
            Visit.create({**base, "done_date": datetime(2026, 11, 1, 9)})
        self.assertEqual(Visit.search_count([]), count, "nothing written")
        visit = Visit.create(base)
        with self.assertRaisesRollback(UserError, "changes through its buttons"):
            visit.write({"state": "done"})
        visit.action_done()
        self.assertEqual(visit.state, "done")
        with self.assertRaisesRollback(UserError, "is not planned"):
            visit.action_done()

    def test_visit_visibility(self):
        mine = self.env["sales.visit"].with_user(self.rep).create({"partner_id": self.customer.id})
        other = self.env["sales.visit"].with_user(self.rep2).create({"partner_id": self.customer.id})
        Visit = self.env["sales.visit"]
        both = (mine | other).ids
        self.assertEqual(mine.team_id, self.unit)
        self.assertEqual(Visit.with_user(self.rep).search([("id", "in", both)]), mine)
        with self.assertRaises(AccessError):
            other.with_user(self.rep).read(["outcome"])
        self.assertEqual(Visit.with_user(self.um).search([("id", "in", both)]), mine)
        self.assertEqual(Visit.with_user(self.mm).search([("id", "in", both)]), mine | other)
        self.assertEqual(Visit.with_user(self.rm2).search([("id", "in", both)]), other)
