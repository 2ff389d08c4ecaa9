# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon

REPORT_FIELDS = [
    "partner_id",
    "order_count",
    "order_day_count",
    "first_order_date",
    "last_order_date",
    "last_interval",
    "average_interval",
    "recent_intervals",
    "expected_date",
    "days_overdue",
    "is_overdue",
    "user_id",
    "team_id",
]


class OsbReplenishmentCommon(BaseCommon):
    """A company of its own, a team led by a leader with two reps, a CSR, and
    customers whose confirmed orders are dated by hand (noon UTC, one day in
    every time zone of the test)."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        return cls._create_company(name="OSB Replenishment Company")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))
        company = cls.company

        def user(login, groups):
            return new_test_user(cls.env, login=login, groups=groups, company_id=company.id, tz="UTC")

        cls.rep = user("osb_p_rep", "sales_team.group_sale_salesman")
        cls.rep_other = user("osb_p_rep_other", "sales_team.group_sale_salesman")
        cls.leader = user("osb_p_leader", "sales_team_mgmt.group_sales_team_mgmt_hierarchy")
        cls.csr = user("osb_p_csr", "osb_credit.group_osb_csr")
        Team = cls.env["crm.team"]
        cls.team = Team.create({"name": "OSB Repl Unit", "company_id": company.id, "user_id": cls.leader.id})
        cls.team_other = Team.create({"name": "OSB Repl Other", "company_id": company.id})
        cls.today = fields.Date.context_today(cls.env["osb.replenishment"])
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "OSB Repl Customer", "is_company": True, "user_id": cls.rep.id})
        cls.buyer = Partner.create({"name": "OSB Repl Buyer", "parent_id": cls.customer.id})
        cls.single = Partner.create({"name": "OSB Repl Single", "is_company": True, "user_id": cls.rep_other.id})
        cls.product = cls.env["product.product"].create({"name": "OSB Repl Goods", "type": "consu"})
        cls.other_product = cls.env["product.product"].create({"name": "OSB Repl Boxes", "type": "consu"})
        cls.dozen = cls.env.ref("uom.product_uom_dozen")

    @classmethod
    def _order(cls, partner, days_ago, lines, user=None, team=None, company=None):
        company = company or cls.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "user_id": (user or cls.rep).id,
                    "team_id": (team or cls.team).id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": qty, "product_uom": uom.id})
                        for product, qty, uom in lines
                    ],
                }
            )
        )
        order.action_confirm()
        # Odoo dates the order at its confirmation: put it back on its day
        day = cls.today - timedelta(days=days_ago)
        order.sudo().date_order = datetime.combine(day, time(12, 0))
        return order

    def _rows(self, partner, user=None, model="osb.replenishment"):
        Report = self.env[model].with_user(user) if user else self.env[model]
        return Report.search([("partner_id", "=", partner.id)])


@tagged("post_install", "-at_install")
class TestOsbReplenishment(OsbReplenishmentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        units = cls.product.uom_id
        # order days 100, 70, 40 (two orders) and 30 days ago: intervals 30, 30, 10
        cls._order(cls.customer, 100, [(cls.product, 2, units)])
        cls._order(cls.customer, 70, [(cls.other_product, 1, cls.dozen)])
        cls._order(cls.buyer, 40, [(cls.product, 3, units)])  # a contact's order is the customer's
        cls._order(cls.customer, 40, [(cls.other_product, 5, units)])
        cls.last = cls._order(cls.customer, 30, [(cls.other_product, 2, units)], user=cls.rep_other)
        cls._order(cls.single, 10, [(cls.product, 1, units)], team=cls.team_other)
        # neither a draft nor a cancelled order counts
        draft = cls.env["sale.order"].create({"partner_id": cls.customer.id, "company_id": cls.company.id})
        cancelled = cls._order(cls.customer, 5, [(cls.product, 9, units)])
        cancelled._action_cancel()
        cls.draft = draft

    def test_intervals_hand_computed(self):
        row = self._rows(self.customer)
        self.assertEqual(len(row), 1)
        # order days -100, -70, -40, -30: intervals 30, 30, 10; mean 70 / 3 = 23.33 -> 23 days
        self.assertRecordValues(
            row,
            [
                {
                    "order_count": 5,
                    "order_day_count": 4,
                    "first_order_date": self.today - timedelta(days=100),
                    "last_order_date": self.today - timedelta(days=30),
                    "last_interval": 10,
                    "recent_intervals": "10, 30, 30",
                    "expected_date": self.today - timedelta(days=7),
                    "days_overdue": 7,
                    "is_overdue": False,  # 7 days late, within the default tolerance of 7
                    "user_id": self.rep.id,  # the customer's salesperson
                    "team_id": self.team.id,  # the team of its last order
                }
            ],
        )
        self.assertAlmostEqual(row.average_interval, 70 / 3, places=6)
        # integers, as the fields say (an integration prints them)
        values = row.read(["order_count", "order_day_count", "last_interval"])[0]
        self.assertEqual(
            [type(values[name]) for name in ("order_count", "order_day_count", "last_interval")], [int] * 3
        )
        single = self._rows(self.single)
        self.assertRecordValues(
            single,
            [
                {
                    "order_count": 1,
                    "order_day_count": 1,
                    "last_interval": 0,
                    "recent_intervals": False,
                    "expected_date": False,
                    "days_overdue": 0,
                    "is_overdue": False,
                }
            ],
        )

    def test_overdue_by_the_policy_tolerance(self):
        Report = self.env["osb.replenishment"]
        overdue = [("is_overdue", "=", True), ("company_id", "=", self.company.id)]
        self.assertFalse(Report.search(overdue))
        policy = self.env["osb.credit.policy"]._get_policy(self.company)
        policy.replenishment_tolerance_days = 6
        self.assertEqual(Report.search(overdue).partner_id, self.customer)
        policy.replenishment_tolerance_days = 7
        self.assertFalse(Report.search(overdue))
        with self.assertRaisesRegex(ValidationError, "Reorder Tolerance \\(days\\) cannot be negative"):
            policy.replenishment_tolerance_days = -1
            policy.flush_recordset()

    def test_quantities_per_product(self):
        lines = self._rows(self.customer, model="osb.replenishment.line")
        by_product = {line.product_id: line for line in lines}
        self.assertEqual(set(by_product), {self.product, self.other_product})
        goods = by_product[self.product]
        # days -100 and -40: one interval of 60 days, next expected in 20 days
        self.assertRecordValues(
            goods,
            [
                {
                    "quantity": 5.0,
                    "order_count": 2,
                    "last_order_date": self.today - timedelta(days=40),
                    "average_interval": 60.0,
                    "expected_date": self.today + timedelta(days=20),
                }
            ],
        )
        boxes = by_product[self.other_product]
        # a dozen, 5 and 2 units on days -70, -40, -30: intervals 30 and 10
        self.assertRecordValues(
            boxes,
            [
                {
                    "quantity": 19.0,
                    "uom_id": self.other_product.uom_id.id,
                    "order_count": 3,
                    "average_interval": 20.0,
                    "expected_date": self.today - timedelta(days=10),
                }
            ],
        )
        action = self._rows(self.customer).action_open_lines()
        self.assertEqual(self.env["osb.replenishment.line"].search(action["domain"]), lines)

    def test_order_days_follow_the_time_zone(self):
        # noon UTC is the same day in Shanghai (20:00); 23:00 UTC is the next day there
        late = self._order(self.single, 3, [(self.product, 1, self.product.uom_id)], team=self.team_other)
        late.sudo().date_order = datetime.combine(self.today - timedelta(days=3), time(23, 0))
        utc = self._rows(self.single)
        self.assertEqual(utc.last_order_date, self.today - timedelta(days=3))
        self.env.invalidate_all()  # the rows of both readings have the same ids
        shanghai = self.env["osb.replenishment"].with_context(tz="Asia/Shanghai")
        row = shanghai.search([("partner_id", "=", self.single.id)])
        self.assertEqual(row.last_order_date, self.today - timedelta(days=2))
        self.assertEqual(row.last_interval, 8)

    def test_visibility_follows_the_team_rules(self):
        # the customer's salesperson reads it, another rep not (the single customer is theirs)
        self.assertEqual(self._rows(self.customer, self.rep).partner_id, self.customer)
        self.assertFalse(self._rows(self.customer, self.rep_other))
        self.assertEqual(self._rows(self.single, self.rep_other).partner_id, self.single)
        self.assertFalse(self._rows(self.single, self.rep))
        # the leader reads the rows of their team (team of the last order), not the other team's
        self.assertTrue(self._rows(self.customer, self.leader))
        self.assertFalse(self._rows(self.single, self.leader))
        # the CSR keeps every customer's record
        self.assertTrue(self._rows(self.customer, self.csr))
        self.assertTrue(self._rows(self.single, self.csr))
        self.assertEqual(len(self._rows(self.customer, self.csr, "osb.replenishment.line")), 2)
        self.assertFalse(self._rows(self.customer, self.rep_other, "osb.replenishment.line"))

    def test_one_row_per_company(self):
        other = self._create_company(name="OSB Replenishment Company 2")
        team = self.env["crm.team"].create({"name": "OSB Repl Team 2", "company_id": other.id})
        self._order(self.customer, 20, [(self.product, 1, self.product.uom_id)], team=team, company=other)
        rows = self.env["osb.replenishment"].with_context(allowed_company_ids=[self.company.id, other.id])
        rows = rows.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(sorted(rows.mapped("order_count")), [1, 5])
        # the CSR of the first company reads its row only
        self.assertEqual(self._rows(self.customer, self.csr).order_count, 5)

    def test_report_read_is_batched(self):
        Report = self.env["osb.replenishment"].with_user(self.csr)
        domain = [("company_id", "=", self.company.id)]
        Report.search_read(domain, REPORT_FIELDS)  # fills the caches
        self.env.invalidate_all()
        # the rows' query, then the names of customers, salespeople (user and partner) and teams
        with self.assertQueryCount(5):
            one = Report.search_read(domain, REPORT_FIELDS, limit=1)
        for days_ago in range(1, 8):
            partner = self.env["res.partner"].create({"name": f"OSB Repl More {days_ago}", "is_company": True})
            self._order(partner, days_ago, [(self.product, 1, self.product.uom_id)])
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(5):
            many = Report.search_read(domain, REPORT_FIELDS)
        self.assertEqual((len(one), len(many)), (1, 9))
