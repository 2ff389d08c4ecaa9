# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon

SSG_LEADER = "osb_credit.group_osb_ssg_leader"
HIERARCHY = "sales_team_mgmt.group_sales_team_mgmt_hierarchy"


class OsbQuotaCommon(BaseCommon):
    """Market East (leader mm) > Region Shanghai (rep); Market North (rep2); a scarce
    product in category Scarce; an SSG leader; customers of the rep and of rep2.
    Credit control is off in the company: only the quota check holds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.env["osb.credit.policy"]._get_policy(cls.company).enforce = False
        cls.company.osb_quota_check_date = "order"
        cls.company.osb_quota_warning_level = 90.0
        cls.ssg = new_test_user(cls.env, login="osb_q_ssg", groups=f"{SSG_LEADER},{HIERARCHY}", name="SSG Leader")
        cls.mm = new_test_user(cls.env, login="osb_q_mm", groups=HIERARCHY, name="Market Manager")
        cls.rep = new_test_user(cls.env, login="osb_q_rep", groups="sales_team.group_sale_salesman", name="Rep")
        cls.rep2 = new_test_user(cls.env, login="osb_q_rep2", groups="sales_team.group_sale_salesman", name="Rep 2")
        Team = cls.env["crm.team"]
        cls.market = Team.create({"name": "East", "code": "Q-E", "team_type": "market", "user_id": cls.mm.id})
        cls.region = Team.create(
            {"name": "Shanghai", "code": "Q-E-SH", "team_type": "region", "parent_id": cls.market.id}
        )
        cls.market2 = Team.create({"name": "North", "code": "Q-N", "team_type": "market"})
        Member = cls.env["crm.team.member"]
        Member.create({"crm_team_id": cls.region.id, "user_id": cls.rep.id})
        Member.create({"crm_team_id": cls.market2.id, "user_id": cls.rep2.id})
        cls.categ = cls.env["product.category"].create({"name": "Scarce"})
        cls.sub_categ = cls.env["product.category"].create({"name": "Scarce Sub", "parent_id": cls.categ.id})
        cls.product = cls.env["product.product"].create(
            {"name": "Scarce Wine", "categ_id": cls.sub_categ.id, "list_price": 10.0, "taxes_id": [Command.clear()]}
        )
        cls.other = cls.env["product.product"].create(
            {"name": "Plenty Water", "list_price": 1.0, "taxes_id": [Command.clear()]}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Q Distributor", "is_company": True, "user_id": cls.rep.id}
        )
        cls.customer2 = cls.env["res.partner"].create(
            {"name": "Q North Distributor", "is_company": True, "user_id": cls.rep2.id}
        )
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.date_from = cls.today.replace(day=1)
        cls.date_to = (cls.date_from + timedelta(days=32)).replace(day=1) - timedelta(days=1)

    @contextmanager
    def assertRaisesRollback(self, exception, regex):
        """assertRaisesRegex that rolls back what the failed call wrote, as a request does."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    @classmethod
    def _quota(cls, quantity, holder=None, product=None, categ=None, **vals):
        holder = holder if holder is not None else cls.customer
        values = {
            "quantity": quantity,
            "date_from": cls.date_from,
            "date_to": cls.date_to,
        }
        if holder._name == "crm.team":
            values.update(holder_type="team", holder_team_id=holder.id)
        else:
            values.update(holder_type="customer", partner_id=holder.id)
        if categ:
            values["categ_id"] = categ.id
        else:
            values["product_id"] = (product or cls.product).id
        values.update(vals)
        return cls.env["osb.quota"].with_user(cls.ssg).create(values)

    @classmethod
    def _order(cls, qty, partner=None, team=None, product=None, lines=1):
        partner = partner or cls.customer
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": partner.user_id.id,
                "team_id": (team or cls.region).id,
                "order_line": [
                    Command.create({"product_id": (product or cls.product).id, "product_uom_qty": qty / lines})
                    for _i in range(lines)
                ],
            }
        )


@tagged("post_install", "-at_install")
class TestOsbQuotaCheck(OsbQuotaCommon):
    def test_exactly_at_the_allocation_passes_one_unit_over_is_held(self):
        quota = self._quota(10)
        first = self._order(10)
        first.action_confirm()
        self.assertEqual(first.state, "sale")
        self.assertRecordValues(quota, [{"allocated": 10.0, "used": 10.0, "available": 0.0}])
        over = self._order(1)
        over.action_confirm()
        self.assertRecordValues(over, [{"state": "draft", "osb_quota_hold": True}])
        message = over.osb_quota_hold_message
        self.assertIn(f"{over.name} exceeds its quota:", message)
        self.assertIn("Quota of Scarce Wine for customer Q Distributor", message)
        self.assertIn("allocated 10.00, used 10.00, requested 1.00, available 0.00.", message)
        # The pipeline shows it with every other check that fired.
        self.assertIn(message, over.confirmation_hold_message)
        # The SSG leader got the hold as an activity.
        activity = over.activity_ids.filtered(lambda a: a.user_id == self.ssg)
        self.assertEqual(activity.activity_type_id, self.env.ref("osb_credit.mail_activity_type_quota_hold"))
        # Other products and other customers are not concerned.
        self._order(100, product=self.other).action_confirm()
        free = self._order(100, partner=self.customer2, team=self.market2)
        free.action_confirm()
        self.assertEqual(free.state, "sale")
        # A unit of another unit of measure counts in the product's unit.
        dozen = self.env.ref("uom.product_uom_dozen")
        quota.quantity = 22
        order = self._order(1)
        order.order_line.product_uom = dozen
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertAlmostEqual(quota.used, 22.0)

    def test_customer_and_team_quota_both_apply(self):
        self._quota(100)
        team_quota = self._quota(5, holder=self.market)
        order = self._order(6)
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        message = order.osb_quota_hold_message
        self.assertIn("team East (covers the order's team East / Shanghai)", message)
        self.assertIn("allocated 5.00, used 0.00, requested 6.00, available 5.00.", message)
        self.assertNotIn("customer Q Distributor", message)
        team_quota.quantity = 50
        self._quota(100, holder=self.market, product=None, categ=self.categ)
        customer_quota = self.env["osb.quota"].search([("partner_id", "=", self.customer.id)])
        customer_quota.quantity = 5
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertIn("customer Q Distributor", order.osb_quota_hold_message)
        customer_quota.quantity = 6
        order.action_confirm()
        self.assertRecordValues(order, [{"state": "sale", "osb_quota_hold": False}])
        self.assertFalse(order.confirmation_hold_message)
        # The category quota of the market counts the product of its sub-category.
        category_quota = self.env["osb.quota"].search([("categ_id", "=", self.categ.id)])
        self.assertEqual(category_quota.used, 6.0)
        self.assertEqual(team_quota.used, 6.0)

    def test_batch_counts_the_orders_before(self):
        self._quota(10)
        orders = self._order(4) | self._order(4) | self._order(4)
        orders.action_confirm()
        self.assertEqual(orders.mapped("state"), ["sale", "sale", "draft"])

    def test_state_written_directly_or_created_confirmed_is_refused(self):
        self._quota(3)
        order = self._order(4)
        with self.assertRaisesRollback(UserError, "exceeds its quota"):
            order.write({"state": "sale"})
        with self.assertRaisesRollback(UserError, "exceeds its quota"):
            self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "state": "sale",
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 4})],
                }
            )

    def test_edit_of_a_confirmed_order_rechecks(self):
        quota = self._quota(10)
        order = self._order(8)
        order.action_confirm()
        order.order_line.product_uom_qty = 10
        with self.assertRaisesRollback(UserError, "requested 11.00, available 10.00"):
            order.order_line.product_uom_qty = 11
        with self.assertRaisesRollback(UserError, "exceeds its quota"):
            order.write({"order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})]})
        order.order_line.product_uom_qty = 9  # a decrease stays allowed
        self.assertEqual(quota.used, 9.0)
        order._action_cancel()
        self.assertEqual(quota.used, 0.0)

    def test_commitment_date_picks_the_period(self):
        next_from = self.date_to + timedelta(days=1)
        next_to = (next_from + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        quota = self._quota(5, date_from=next_from, date_to=next_to)
        order = self._order(6)
        order.commitment_date = fields.Datetime.to_datetime(next_from) + timedelta(hours=12)
        order.action_confirm()
        self.assertEqual(order.state, "sale", "checked on the order date: this month has no quota")
        self.assertEqual(quota.used, 0.0)
        self.company.osb_quota_check_date = "commitment"
        quota.invalidate_recordset()
        self.assertEqual(quota.used, 6.0)
        late = self._order(1)
        late.commitment_date = order.commitment_date
        late.action_confirm()
        self.assertEqual(late.state, "draft")
        self.assertIn("used 6.00, requested 1.00", late.osb_quota_hold_message)

    def test_release_by_the_ssg_leader(self):
        self._quota(5)
        order = self._order(6)
        order.action_confirm()
        self.assertTrue(order.osb_quota_hold)
        Release = self.env["osb.quota.release"]
        with self.assertRaises(AccessError):
            Release.with_user(self.rep).create({"order_id": order.id, "reason": "please"})
        with self.assertRaisesRollback(ValidationError, "Give the reason"):
            Release.with_user(self.ssg).create({"order_id": order.id, "reason": " "})
        release = Release.with_user(self.ssg).create({"order_id": order.id, "reason": "Launch customer"})
        self.assertRecordValues(
            release, [{"user_id": self.ssg.id, "released_quantity": 6.0, "reason": "Launch customer"}]
        )
        self.assertIn("exceeds its quota", release.hold_message)
        self.assertRecordValues(order, [{"state": "sale", "osb_quota_hold": False}])
        self.assertTrue(any("Quota hold released by SSG Leader" in body for body in order.message_ids.mapped("body")))
        with self.assertRaises(AccessError):
            release.with_user(self.ssg).write({"released_quantity": 100})
        with self.assertRaises(AccessError):
            release.with_user(self.ssg).unlink()
        # Beyond the released quantity, the edit is checked again and refused.
        with self.assertRaisesRollback(UserError, "exceeds its quota"):
            order.order_line.product_uom_qty = 7
        # Only a held order is released.
        other = self._order(1, product=self.other)
        with self.assertRaisesRollback(ValidationError, "is not on quota hold"):
            Release.with_user(self.ssg).create({"order_id": other.id, "reason": "x"})

    def test_guarded_hold_fields(self):
        order = self._order(1)
        with self.assertRaises(AccessError):
            order.with_user(self.rep).write({"osb_quota_hold": False})

    def test_check_costs_the_same_queries_for_1_and_20_lines(self):
        products = self.env["product.product"].create(
            [{"name": f"Scarce {i}", "categ_id": self.sub_categ.id} for i in range(20)]
        )
        self._quota(1000)
        self._quota(1000, holder=self.market)
        self._quota(1000, categ=self.categ)
        self._quota(1000, holder=self.region, categ=self.categ)
        small = self._order(1)
        big = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "team_id": self.region.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})]
                + [Command.create({"product_id": p.id, "product_uom_qty": 1}) for p in products[:19]],
            }
        )
        counts = []
        for order in (small, big):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.assertFalse(order._confirmation_check_quota(strict=True))
            counts.append(self.env.cr.sql_log_count - before)
        self.env.invalidate_all()
        with self.assertQueryCount(counts[0]):
            big._confirmation_check_quota(strict=True)
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(len(small._osb_quota_applicable(*self._requests(small))), 4)

    def _requests(self, order):
        return order._osb_quota_requests(), {order: order._osb_quota_check_date()}


@tagged("post_install", "-at_install")
class TestOsbQuotaAllocation(OsbQuotaCommon):
    def test_children_cannot_exceed_the_parent(self):
        parent = self._quota(10, holder=self.market)
        self._quota(6, holder=self.region, parent_id=parent.id)
        with self.assertRaisesRollback(ValidationError, "total 11.00, above its allocation of 10.00"):
            self._quota(5, holder=self.customer, parent_id=parent.id)
        child = self._quota(4, holder=self.customer, parent_id=parent.id)
        with self.assertRaisesRollback(ValidationError, "total 10.00, above its allocation of 9.00"):
            parent.write({"quantity": 9})
        with self.assertRaisesRollback(ValidationError, "within the period of its parent"):
            child.write({"date_to": self.date_to + timedelta(days=1)})
        with self.assertRaisesRollback(ValidationError, "the product or a part of the category"):
            child.write({"product_id": self.other.id})
        self.assertEqual(parent.quantity, 10)

    def test_bad_input_is_refused_and_nothing_written(self):
        Quota = self.env["osb.quota"].with_user(self.ssg)
        base = {
            "holder_type": "customer",
            "partner_id": self.customer.id,
            "product_id": self.product.id,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "quantity": 5,
        }
        cases = [
            ({"quantity": -1}, "Allocated Quantity: -1 is negative"),
            ({"date_from": False}, r"From \(date_from\) is required"),
            ({"date_to": False}, r"To \(date_to\) is required"),
            ({"date_to": self.date_from - timedelta(days=1)}, "Period: the end date"),
            ({"categ_id": self.categ.id}, "exactly one product or one category"),
            ({"product_id": False}, "exactly one product or one category"),
            ({"partner_id": False}, "Customer: a customer quota names its customer"),
            ({"holder_team_id": self.market.id}, "Customer: a customer quota names its customer, and no team"),
            ({"holder_type": "team"}, "Team: a team quota names its team"),
        ]
        for change, message in cases:
            with self.subTest(change=change), self.assertRaisesRollback(ValidationError, message):
                Quota.create(dict(base, **change))
        self.assertFalse(self.env["osb.quota"].search([("partner_id", "=", self.customer.id)]))
        quota = Quota.create(base)
        with self.assertRaisesRollback(ValidationError, "Allocated Quantity: -3 is negative"):
            quota.write({"quantity": -3})
        self.assertEqual(quota.quantity, 5)
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.customer.id})
        with self.assertRaisesRollback(ValidationError, "is a contact or an address"):
            Quota.create(dict(base, partner_id=contact.id))

    def test_transfer_moves_availability(self):
        east = self._quota(10, holder=self.market)
        north = self._quota(0, holder=self.market2)
        self._order(3).action_confirm()
        Transfer = self.env["osb.quota.transfer"]
        with self.assertRaises(AccessError):
            Transfer.with_user(self.rep).create(
                {"from_quota_id": east.id, "to_quota_id": north.id, "quantity": 1, "reason": "x"}
            )
        transfer = Transfer.with_user(self.ssg).create(
            {"from_quota_id": east.id, "to_quota_id": north.id, "quantity": 4, "reason": "North launch"}
        )
        self.assertRecordValues(transfer, [{"user_id": self.ssg.id, "quantity": 4.0}])
        self.assertRecordValues(east, [{"quantity": 10.0, "allocated": 6.0, "used": 3.0, "available": 3.0}])
        self.assertRecordValues(north, [{"allocated": 4.0, "used": 0.0, "available": 4.0}])
        self.assertIn("transferred 4.00 to", east.message_ids[0].body)
        self.assertIn("transferred 4.00 from", north.message_ids[0].body)
        with self.assertRaisesRollback(ValidationError, "more than the 3.00 available"):
            Transfer.with_user(self.ssg).create(
                {"from_quota_id": east.id, "to_quota_id": north.id, "quantity": 3.5, "reason": "more"}
            )
        for change, message in (
            ({"quantity": -1}, "Quantity: -1"),
            ({"quantity": 0}, "Quantity: 0"),
            ({"reason": ""}, "Reason: give the reason"),
            ({"to_quota_id": east.id}, "another allocation"),
        ):
            with self.subTest(change=change), self.assertRaisesRollback(ValidationError, message):
                Transfer.with_user(self.ssg).create(
                    dict({"from_quota_id": east.id, "to_quota_id": north.id, "quantity": 1, "reason": "x"}, **change)
                )
        self.assertEqual(len(east.transfer_out_ids), 1)
        with self.assertRaises(AccessError):
            transfer.with_user(self.ssg).write({"quantity": 1})
        with self.assertRaises(AccessError):
            transfer.with_user(self.ssg).unlink()
        # The report reads the same figures.
        rows = self.env["osb.quota.report"].search([("quota_id", "in", (east | north).ids)], order="id")
        self.assertRecordValues(
            rows, [{"allocated": 6.0, "used": 3.0, "available": 3.0}, {"allocated": 4.0, "used": 0.0, "available": 4.0}]
        )
        # An order of the north market now finds room for 4.
        order = self._order(4, partner=self.customer2, team=self.market2)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_warning_level_sends_one_activity(self):
        quota = self._quota(10)
        cron = self.env.ref("osb_credit.ir_cron_osb_quota_warning")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        self._order(8).action_confirm()
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers)
        self._order(1).action_confirm()  # 9 of 10: crosses 90%
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1)
        activity_type = self.env.ref("osb_credit.mail_activity_type_quota_warning")
        self.env["osb.quota"]._cron_quota_warnings()
        activities = quota.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(len(activities.filtered(lambda a: a.user_id == self.ssg)), 1)
        self.assertIn("Allocated 10.00, used 9.00, available 1.00", str(activities[0].note))
        self.assertTrue(quota.warning_sent)
        self.env["osb.quota"]._cron_quota_warnings()
        quota.invalidate_recordset()
        self.assertEqual(
            len(quota.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)), len(activities)
        )

    def test_visibility_follows_the_teams(self):
        customer_quota = self._quota(10)
        east_quota = self._quota(10, holder=self.market)
        north_quota = self._quota(10, holder=self.market2)
        Quota = self.env["osb.quota"]
        self.assertEqual(customer_quota.user_id, self.rep)
        self.assertEqual(customer_quota.team_id, self.region)
        self.assertEqual(east_quota.user_id, self.mm)
        all_quotas = customer_quota | east_quota | north_quota
        # The rep reads the quota of his customer and the quotas without a responsible.
        self.assertEqual(Quota.with_user(self.rep).search([("id", "in", all_quotas.ids)]), customer_quota | north_quota)
        # The market manager reads his market's and everything below.
        self.assertEqual(
            Quota.with_user(self.mm).search([("id", "in", all_quotas.ids)]), customer_quota | east_quota | north_quota
        )
        self.assertEqual(Quota.with_user(self.ssg).search([("id", "in", all_quotas.ids)]), all_quotas)
        with self.assertRaises(AccessError):
            Quota.with_user(self.rep).create(
                {
                    "holder_type": "customer",
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "quantity": 1,
                }
            )
        with self.assertRaises(AccessError):
            customer_quota.with_user(self.mm).write({"quantity": 50})
