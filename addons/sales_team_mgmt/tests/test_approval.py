# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import file_open, format_amount, html2plaintext

from ..tools import strip_sentence_end
from .common import SalesTeamMgmtCommon


@tagged("post_install", "-at_install")
class TestOrderApproval(SalesTeamMgmtCommon):
    def _confirm(self, order, user=None):
        return order.with_user(user or self.rep).action_confirm()

    def assertWaitsFor(self, order, approver):
        self.assertRecordValues(order, [{"state": "draft", "approval_state": "to_approve", "approver_id": approver.id}])
        activity = order.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, approver)
        self.assertEqual(order.approval_activity_id, activity)
        self.assertIn("Approval requested from", order.message_ids[0].body)

    def test_within_authority_confirms_directly(self):
        order = self._create_order(50000)
        self.assertTrue(self._confirm(order))
        self.assertRecordValues(order, [{"state": "sale", "approval_state": "none", "approver_id": False}])
        self.assertFalse(order.activity_ids)

    def test_routing_up_the_tree(self):
        cases = [
            (150000, 0.0, self.um),  # above the rep, within the unit manager
            (250000, 0.0, self.rm),  # above the unit manager, within the region manager
            (450000, 0.0, self.mm),  # above the region manager, within the market manager
            (900000, 0.0, self.director),  # above everyone but the SLT member in charge
            (1000, 11.0, self.rm),  # discount above the rep (5) and the unit manager (10)
        ]
        for amount, discount, approver in cases:
            with self.subTest(amount=amount, discount=discount):
                order = self._create_order(amount, discount=discount)
                self.assertTrue(self._confirm(order))
                self.assertWaitsFor(order, approver)
                self.assertTrue(order.with_user(approver).can_approve)
                self.assertFalse(order.with_user(self.rep).can_approve)

    def test_slt_root_leader_when_no_slt_member_in_charge(self):
        self.market.slt_user_id = False
        order = self._create_order(900000)
        self._confirm(order)
        self.assertWaitsFor(order, self.gm)

    def test_salesperson_leading_the_team_goes_up(self):
        # The unit manager's own order above his authority goes to the region manager.
        order = self._create_order(250000, user=self.um)
        self._confirm(order, self.um)
        self.assertWaitsFor(order, self.rm)

    def test_approve_then_confirm(self):
        order = self._create_order(150000)
        self._confirm(order)
        with self.assertRaisesRollback(UserError, "waiting for approval by Stm T Um"):
            self._confirm(order)
        self.assertEqual(order.state, "draft")
        # The approver reads the order through his hierarchy and approves it.
        order.with_user(self.um).action_approval_approve()
        self.assertRecordValues(
            order,
            [{"approval_state": "approved", "approver_id": self.um.id, "approved_amount": 150000.0, "state": "draft"}],
        )
        self.assertFalse(order.activity_ids)
        self.assertIn("Order approved by Stm T Um", order.message_ids[0].body)
        self.assertIn(self.rep.partner_id, order.message_ids[0].partner_ids)
        self._confirm(order)
        self.assertEqual(order.state, "sale")

    def test_reject_with_reason(self):
        order = self._create_order(150000)
        self._confirm(order)
        action = order.with_user(self.um).action_approval_reject()
        self.assertEqual(action["res_model"], "sales.approval.reject")
        with self.assertRaisesRollback(UserError, "reason"):
            order.with_user(self.um).action_approval_reject(reason="  ")
        wizard = Form(self.env["sales.approval.reject"].with_user(self.um).with_context(**action["context"]))
        wizard.reason = "Price too low for this customer"
        wizard.save().action_reject()
        self.assertRecordValues(
            order,
            [
                {
                    "state": "draft",
                    "approval_state": "rejected",
                    "approver_id": self.um.id,
                    "approval_reason": "Price too low for this customer",
                }
            ],
        )
        self.assertFalse(order.activity_ids)
        self.assertIn("Price too low for this customer", order.message_ids[0].body)
        # Confirming the revised quotation asks again.
        self._confirm(order)
        self.assertWaitsFor(order, self.um)

    def test_only_approver_or_leader_above_approves(self):
        order = self._create_order(150000)
        self._confirm(order)
        for intruder in (self.rep, self.rep2, self.rm2, self.mm2):
            with self.subTest(user=intruder.login), self.assertRaises(AccessError):
                order.with_user(intruder).action_approval_approve()
        self.assertEqual(order.approval_state, "to_approve")
        # A leader above the designated approver may decide, and so may a sales administrator.
        order.with_user(self.mm).action_approval_approve()
        self.assertRecordValues(order, [{"approval_state": "approved", "approver_id": self.mm.id}])
        other = self._create_order(150000)
        self._confirm(other)
        other.with_user(self.sales_admin).action_approval_reject(reason="No")
        self.assertEqual(other.approval_state, "rejected")

    def test_amount_rising_after_approval_needs_approval_again(self):
        order = self._create_order(150000)
        self._confirm(order)
        order.with_user(self.um).action_approval_approve()
        order.with_user(self.rep).order_line.product_uom_qty = 160
        self._confirm(order)
        self.assertWaitsFor(order, self.um)
        # A lower amount stays approved.
        order.with_user(self.um).action_approval_approve()
        order.with_user(self.rep).order_line.product_uom_qty = 120
        self._confirm(order)
        self.assertEqual(order.state, "sale")

    def test_server_side_enforcement(self):
        order = self._create_order(150000)
        rep_order = order.with_user(self.rep)
        with self.assertRaisesRollback(UserError, "exceed the salesperson's authority"):
            rep_order.write({"state": "sale"})
        self.assertEqual(order.state, "draft")
        with self.assertRaisesRollback(AccessError, "cannot be written directly"):
            rep_order.write({"approval_state": "approved", "approved_amount": 10**9})
        duplicate = self._create_order(1).with_user(self.rep).copy({"approval_state": "approved"})
        self.assertEqual(duplicate.approval_state, "none")
        with self.assertRaisesRollback(UserError, "salesperson's authority"):
            self.env["sale.order"].with_user(self.rep).create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.rep.id,
                    "team_id": self.unit.id,
                    "state": "sale",
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 150})],
                }
            )

    def test_copy_resets_approval(self):
        order = self._create_order(150000)
        self._confirm(order)
        order.with_user(self.um).action_approval_approve()
        duplicate = order.with_user(self.rep).copy()
        self.assertRecordValues(duplicate, [{"approval_state": "none", "approver_id": False, "approved_amount": 0.0}])
        self._confirm(duplicate)
        self.assertWaitsFor(duplicate, self.um)

    def test_confirmed_order_cannot_be_raised_above_authority(self):
        order = self._create_order(40000)
        self._confirm(order)
        with self.assertRaisesRollback(UserError, "raises .* above the salesperson's authority"):
            order.with_user(self.rep).order_line.product_uom_qty = 120
        with self.assertRaisesRollback(UserError, "raises .* above the salesperson's authority"):
            order.with_user(self.rep).write(
                {"order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 20})]}
            )
        self.assertEqual(order.amount_untaxed, 40000)
        # Within authority it is a normal edit.
        order.with_user(self.rep).order_line.product_uom_qty = 48
        self.assertEqual(order.amount_untaxed, 48000)

    def test_mixed_batch(self):
        small, big = self._create_order(1000), self._create_order(150000)
        (small | big).with_user(self.rep).action_confirm()
        self.assertEqual(small.state, "sale")
        self.assertWaitsFor(big, self.um)

    def test_cancel_clears_the_request(self):
        order = self._create_order(150000)
        self._confirm(order)
        order.with_user(self.rep).action_cancel()
        self.assertRecordValues(order, [{"state": "cancel", "approval_state": "none"}])
        self.assertFalse(order.activity_ids)

    def test_authority_changes_apply_at_once(self):
        # Authorities are cached; every change of a role, membership or team clears them.
        self.assertTrue(self._confirm(self._create_order(50000)))
        self.role_rep.max_order_amount = 40000
        order = self._create_order(50000)
        self._confirm(order)
        self.assertEqual(order.approval_state, "to_approve")
        self.role_rep.max_order_amount = 60000
        self.assertTrue(self._confirm(self._create_order(55000)))
        membership = self.env["crm.team.member"].search(
            [("user_id", "=", self.rep.id), ("crm_team_id", "=", self.unit.id)]
        )
        membership.write({"date_start": "2000-01-01", "date_end": "2000-01-01"})
        # Without a current role, the rep confirms like in core Odoo.
        self.assertTrue(self._confirm(self._create_order(10**6)))
        membership.date_end = False
        order = self._create_order(10**6)
        self._confirm(order)
        self.assertEqual(order.approval_state, "to_approve")
        self.unit.team_type = "slt"
        self.assertTrue(self._confirm(self._create_order(10**6)))

    def test_salesperson_without_role_is_not_controlled(self):
        order = self._create_order(10**7, user=self.sales_admin, team=self.market2)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_no_approver_found(self):
        company = self.env["res.company"].create({"name": "STM No Leaders"})
        self.env.user.company_ids |= company
        self.rep.write({"company_ids": [Command.link(company.id)], "company_id": company.id})
        role = self.env["sales.role"].create(
            {"name": "Rep", "code": "T-REP-NL", "company_id": company.id, "max_order_amount": 10}
        )
        team = self.env["crm.team"].create({"name": "Lonely", "company_id": company.id})
        self.env["crm.team.member"].create({"crm_team_id": team.id, "user_id": self.rep.id, "role_id": role.id})
        order = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": company.id,
                    "user_id": self.rep.id,
                    "team_id": team.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
                }
            )
        )
        with self.assertRaisesRollback(UserError, "no leader up the sales organisation can approve"):
            order.action_confirm()
        self.assertRecordValues(order, [{"state": "draft", "approval_state": "none"}])

    def test_mass_approval_and_to_approve_filter(self):
        orders = self._create_order(150000) | self._create_order(160000)
        self._confirm(orders)
        self.assertEqual(orders.mapped("approval_step"), ["authority", "authority"])
        SaleOrder = self.env["sale.order"]
        mine = SaleOrder.with_user(self.um).search([("can_approve", "=", True), ("id", "in", orders.ids)])
        self.assertEqual(mine, orders)
        self.assertFalse(SaleOrder.with_user(self.rep).search([("can_approve", "=", True), ("id", "in", orders.ids)]))
        # A sales administrator approves any order: the filter shows them all to him.
        admin = SaleOrder.with_user(self.sales_admin)
        self.assertEqual(admin.search([("can_approve", "=", True), ("id", "in", orders.ids)]), orders)
        self.assertEqual(orders.with_user(self.sales_admin).mapped("can_approve"), [True, True])
        self.assertEqual(
            SaleOrder.with_user(self.um).search([("can_approve", "!=", True), ("id", "in", orders.ids)]),
            SaleOrder,
        )
        # The list's Approve action approves them all at once.
        action = self.env.ref("sales_team_mgmt.action_sale_order_approval_approve")
        action.with_user(self.um).with_context(active_model="sale.order", active_ids=orders.ids).run()
        self.assertEqual(orders.mapped("approval_state"), ["approved", "approved"])
        self.assertEqual(orders.mapped("approval_step"), [False, False])
        self.assertFalse(orders.activity_ids)

    def test_orders_to_approve_counted_in_the_activity_menu(self):
        """Odoo 18 shows no count on a menu: the activity menu (systray) counts the
        orders to approve, as many as the *Orders to Approve* menu shows by default,
        and its badge counts each order once (an approver's own to-do is counted
        already in the sales orders' activities)."""

        def groups(user):
            return self.env["res.users"].with_user(user)._get_activity_groups()

        def approval_group(user):
            return next((g for g in groups(user) if g["type"] == "sales_approval"), None)

        admin_before = approval_group(self.sales_admin)
        admin_before = admin_before["approval_count"] if admin_before else 0
        self.assertIsNone(approval_group(self.um))
        orders = self._create_order(150000) | self._create_order(160000)
        self._confirm(orders)
        action = self.env.ref("sales_team_mgmt.action_sale_order_to_approve")
        self.assertEqual(action.context, "{'search_default_my_approvals': 1}")
        search = self.env.ref("sales_team_mgmt.view_sale_order_search").arch_db
        self.assertIn('name="my_approvals"', search)
        self.assertIn("domain=\"[('can_approve', '=', True)]\"", search)
        # The approver: two orders, already in his badge as today's to-dos of the orders.
        group = approval_group(self.um)
        self.assertEqual(group["approval_count"], 2)
        self.assertEqual(group["name"], "Orders to Approve")
        self.assertEqual(group["action"], "sales_team_mgmt.action_sale_order_to_approve")
        self.assertEqual(self.env.ref(group["action"]), action)
        self.assertEqual(group["total_count"], 0)
        self.assertEqual(sum(g["total_count"] for g in groups(self.um)), 2)
        # A sales administrator approves any order: counted, and in the badge.
        group = approval_group(self.sales_admin)
        self.assertEqual(group["approval_count"], admin_before + 2)
        self.assertEqual(
            group["approval_count"],
            self.env["sale.order"].with_user(self.sales_admin).search_count([("can_approve", "=", True)]),
        )
        self.assertEqual(group["total_count"], group["approval_count"])
        # Nothing for the rep, who cannot approve them.
        self.assertIsNone(approval_group(self.rep))
        orders.with_user(self.um).action_approval_approve()
        self.assertIsNone(approval_group(self.um))
        # The web client's activity menu shows the count and opens the action (the patch is in the bundle).
        bundle = self.env["ir.qweb"]._get_asset_bundle("web.assets_backend", css=False)
        urls = [asset.url for asset in bundle.javascripts]
        self.assertIn("/sales_team_mgmt/static/src/activity_menu/activity_menu_patch.js", urls)
        with file_open("mail/static/src/core/web/activity_menu.xml") as template:
            self.assertIn('name="activityTitle"', template.read(), "the patch's anchor")

    def test_engine_fields_are_guarded(self):
        order = self._create_order(150000)
        self._confirm(order)
        as_rep = order.with_user(self.rep)
        for vals in (
            {"approval_step": False},
            {"approver_id": self.rep.id},
            {"approval_reason": "forged"},
            {"approval_activity_id": False},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_rep.with_context(sudo=True, bypass_approval=True).write(vals)
        self.assertRecordValues(order, [{"approval_step": "authority", "approver_id": self.um.id}])

    def test_discount_shown_without_the_discounts_setting(self):
        """With Odoo's Discounts setting off, the lines hide their discounts: the approval
        request (activity and chatter), the order's banner and its form still show the
        line discount that needs the approval and the maximum of the salesperson's role."""
        group = self.env.ref("sale.group_discount_per_so_line")
        self.env.ref("base.group_user").implied_ids -= group
        group.users = [Command.clear()]
        self.assertFalse(self.rep.has_group("sale.group_discount_per_so_line"))
        order = self._create_order(1000, discount=8.0)  # the rep may grant 5 %
        self._confirm(order)
        self.assertWaitsFor(order, self.um)
        product, role = self.product.display_name, self.role_rep.display_name
        expected = f"line discount 8.00% on {product}, above the maximum of 5.00% of the role {role}"
        self.assertIn(expected, order.activity_ids.note)
        self.assertIn(expected, order.message_ids[0].body)
        self.assertNotIn("untaxed amount", order.message_ids[0].body, "the amount is within the authority")
        self.assertEqual(order.with_user(self.rep).approval_excess, expected)
        self.assertEqual(order.with_user(self.rep).approval_discount, 8.0)
        # The amount too, when it exceeds: both limits, each with its maximum.
        big = self._create_order(60000, discount=6.0)
        self._confirm(big)
        maximum = format_amount(self.env, 50000, self.company.currency_id)
        self.assertEqual(
            html2plaintext(big.message_ids[0].body).count(f"above the maximum of {maximum} of the role"), 1
        )
        self.assertIn("line discount 6.00% on", big.message_ids[0].body)
        # The form as the rep renders it: no line discount column, the approval's discount and excess shown.
        views = self.env["sale.order"].with_user(self.rep).get_views([(False, "form")])["views"]
        arch = etree.fromstring(views["form"]["arch"])
        self.assertFalse(arch.xpath("//field[@name='order_line']/list/field[@name='discount']"), "the setting is off")
        banner = arch.xpath("//div[@invisible=\"approval_state != 'to_approve'\"]")[0]
        self.assertTrue(banner.xpath(".//field[@name='approval_excess']"))
        discount = arch.xpath("//field[@name='approval_discount']")
        self.assertEqual([node.get("invisible") for node in discount], ["approval_state == 'none'"])
        self.assertTrue(
            self.env.ref("sales_team_mgmt.view_sale_order_list_approval").arch_db.count('name="approval_discount"')
        )

    def test_demo_turns_the_discounts_setting_on(self):
        """The demo shows the lines' discounts (Odoo's Discounts setting, as its settings
        page sets it: the employees' group implies the discount group)."""
        if not self.env.ref("sales_team_mgmt.sales_role_kam_demo", raise_if_not_found=False):
            self.skipTest("no demo data")
        group = self.env.ref("sale.group_discount_per_so_line")
        self.assertIn(group, self.env.ref("base.group_user").implied_ids)
        self.assertTrue(self.env.ref("base.user_admin").has_group("sale.group_discount_per_so_line"))

    def test_reject_reason_with_its_own_full_stop(self):
        """A reason typed with its full stop is not followed by a second one
        ("resubmit.. It stays", "重新提交。。"), and the waiting banner does not end
        with a "." that the translation cannot reach."""
        order = self._create_order(150000)
        self._confirm(order)
        order.with_user(self.um).action_approval_reject(reason="Please resubmit. ")
        body = order.message_ids[0].body
        self.assertIn("Please resubmit. It stays a quotation", body)
        self.assertNotIn("..", body)
        self.assertEqual(strip_sentence_end("请重新提交。"), "请重新提交")
        self.assertEqual(strip_sentence_end("Why so low?! "), "Why so low")
        arch = self.env["sale.order"].get_view(self.env.ref("sale.view_order_form").id, "form")["arch"]
        banner = etree.fromstring(arch).xpath("//div[@invisible=\"approval_state != 'to_approve'\"]")[0]
        self.assertEqual(banner.xpath("field")[0].get("name"), "approver_id")
        self.assertFalse((banner.xpath("field")[0].tail or "").strip(), "no text after the approver")
