# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from ..models.osb_order_step import _TargetPlanner
from .common import OsbCreditCommon

# Friday 4 December 2026, 15:00 UTC (the test calendar is in UTC: 8-12 and 13-17, Monday to Friday).
FRIDAY_15 = datetime(2026, 12, 4, 15, 0)
MONDAY = datetime(2026, 12, 7)


class OsbTimelineCommon(OsbCreditCommon):
    """The credit test company with a UTC working calendar, the three OSB roles and
    an SSG leader given by company-default role rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        # The test user maintains the role rules: he is SSG leader.
        cls.env.user.groups_id += cls.env.ref("osb_credit.group_osb_ssg_leader")
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "OSB UTC 40h",
                "tz": "UTC",
                "company_id": company.id,
                "attendance_ids": [
                    Command.create(
                        {"name": f"{day} {start}", "dayofweek": str(day), "hour_from": start, "hour_to": end}
                    )
                    for day in range(5)
                    for start, end in ((8, 12), (13, 17))
                ],
            }
        )
        company.resource_calendar_id = cls.calendar

        def user(login, groups):
            return new_test_user(cls.env, login=login, groups=groups, company_id=company.id)

        cls.csr = user("osb_tl_csr", "osb_credit.group_osb_csr")
        cls.scr = user("osb_tl_scr", "osb_credit.group_osb_scr")
        cls.bcr = user("osb_tl_bcr", "osb_credit.group_osb_bcr")
        cls.scr_other = user("osb_tl_scr_other", "osb_credit.group_osb_scr")
        cls.leader = user("osb_tl_leader", "osb_credit.group_osb_ssg_leader")
        Rule = cls.env["osb.role.rule"]
        for role, owner in (("csr", cls.csr), ("scr", cls.scr), ("bcr", cls.bcr)):
            Rule.create({"role": role, "user_id": owner.id, "company_id": company.id})
        cls.Step = cls.env["osb.order.step"]

    def _rows(self, order):
        order.invalidate_recordset(["osb_step_ids"])
        return {row.step_id.code: row for row in order.osb_step_ids}

    def _done(self, order):
        return {code for code, row in self._rows(order).items() if row.done_date}

    def _confirmed_goods_order(self, qty=2):
        order = self._order(self.customer, self.goods, qty=qty, price=100.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    def _validate(self, pickings):
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        pickings._action_done()


@tagged("post_install", "-at_install")
class TestOsbTimelineStamps(OsbTimelineCommon):
    def test_steps_are_data(self):
        steps = self.env["osb.step"].search([])
        self.assertEqual(len(steps), 21)
        self.assertEqual([len(steps.filtered(lambda s, f=f: s.flow == f)) for f in ("op", "sp", "bc")], [7, 7, 7])
        self.assertEqual(steps[0].code, "op_received")
        self.assertEqual(steps[-1].code, "bc_order_closed")

    def test_each_automatic_step_stamped_by_its_event(self):
        order = self._order(self.customer, self.goods, qty=2, price=100.0)
        rows = self._rows(order)
        self.assertEqual(rows["op_received"].done_date, order.create_date)
        self.assertEqual(rows["op_received"].document_ref, order)
        self.assertEqual(self._done(order), {"op_received"})
        order.action_confirm()
        done = self._done(order)
        for code in (
            "op_customer_verified",
            "op_credit_checked",
            "op_quota_checked",
            "op_price_approved",
            "op_confirmed",
            "sp_delivery_created",
            "sp_stock_reserved",
        ):
            self.assertIn(code, done)
        picking = order.picking_ids
        rows = self._rows(order)
        self.assertEqual(rows["sp_delivery_created"].document_ref, picking)
        self.assertEqual(rows["sp_stock_reserved"].document_ref, picking)
        self.assertEqual(rows["op_confirmed"].owner_id, self.csr)
        self.assertNotIn("sp_shipped", done)
        self._validate(picking)
        rows = self._rows(order)
        self.assertEqual(rows["sp_shipped"].done_date, picking.date_done)
        self.assertEqual(rows["sp_shipped"].owner_id, self.scr)
        # The manual steps of SP left behind stay open, to be ticked.
        self.assertFalse(rows["sp_picked_packed"].done_date)
        self.assertFalse(rows["sp_carrier_booked"].done_date)
        invoice = order._create_invoices()
        self.assertIn("bc_invoice_created", self._done(order))
        self.assertNotIn("bc_invoice_posted", self._done(order))
        invoice.action_post()
        self.assertEqual(self._rows(order)["bc_invoice_posted"].document_ref, invoice)
        invoice.is_move_sent = True
        self.assertIn("bc_invoice_sent", self._done(order))
        self.assertNotIn("bc_payment_received", self._done(order))
        self._pay(invoice, 100.0)
        done = self._done(order)
        self.assertIn("bc_payment_received", done)
        self.assertNotIn("bc_reconciled", done)
        self.assertNotIn("bc_order_closed", done)
        self._pay(invoice, invoice.amount_residual)
        done = self._done(order)
        self.assertIn("bc_reconciled", done)
        self.assertIn("bc_order_closed", done)
        self.assertEqual(self._rows(order)["bc_reconciled"].owner_id, self.bcr)

    def test_confirmation_and_delivery_mails_stamp_their_steps(self):
        self.company.stock_move_email_validation = True
        order = self._confirmed_goods_order()
        self.assertNotIn("op_acknowledged", self._done(order))
        order._send_order_confirmation_mail()
        self.assertIn("op_acknowledged", self._done(order))
        self._validate(order.picking_ids)
        order.picking_ids._send_confirmation_email()
        self.assertEqual(self._rows(order)["sp_notice_sent"].document_ref, order.picking_ids)

    def test_received_is_the_creation_not_the_confirmation(self):
        order = self._order(self.customer, self.goods)
        created = order.create_date
        order.date_order = fields.Datetime.now() - timedelta(days=10)
        order.action_confirm()
        self.assertEqual(self._rows(order)["op_received"].done_date, created)

    def test_cancelled_documents_do_not_stamp(self):
        quotation = self._order(self.customer, self.goods)
        quotation._action_cancel()
        self.assertEqual(self._done(quotation), {"op_received"})
        # Its open steps left the worklists.
        self.assertFalse(self.Step.search([("order_id", "=", quotation.id), ("done_date", "=", False)]))
        self.Step._stamp("op_confirmed", quotation)
        self.assertEqual(self._done(quotation), {"op_received"})
        with self.assertRaisesRegex(UserError, "cancelled order"):
            quotation.with_user(self.csr).action_osb_tick_step("op_acknowledged")
        # A cancelled delivery un-stamps what it proved; a cancelled invoice stamps nothing.
        order = self._confirmed_goods_order()
        order.picking_ids.action_cancel()
        done = self._done(order)
        self.assertNotIn("sp_delivery_created", done)
        self.assertNotIn("sp_stock_reserved", done)
        service_order = self._order(self.customer, self.service)
        service_order.action_confirm()
        invoice = service_order._create_invoices()
        invoice.button_cancel()
        self.assertNotIn("bc_invoice_created", self._done(service_order))
        invoice.button_draft()
        invoice.action_post()
        self.assertIn("bc_invoice_posted", self._done(service_order))

    def test_reset_to_draft_unstamps_and_posting_restamps(self):
        order = self._order(self.customer, self.service)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        invoice.is_move_sent = True
        self.assertLessEqual({"bc_invoice_posted", "bc_invoice_sent"}, self._done(order))
        invoice.button_draft()
        done = self._done(order)
        self.assertNotIn("bc_invoice_posted", done)
        self.assertNotIn("bc_invoice_sent", done)
        self.assertIn("bc_invoice_created", done)
        invoice.action_post()
        self.assertIn("bc_invoice_posted", self._done(order))

    def test_return_unstamps_shipped(self):
        order = self._confirmed_goods_order()
        picking = order.picking_ids
        self._validate(picking)
        self.assertIn("sp_shipped", self._done(order))
        wizard = Form(self.env["stock.return.picking"].with_context(active_id=picking.id, active_model="stock.picking"))
        return_wizard = wizard.save()
        return_wizard.product_return_moves.quantity = 2
        return_picking = return_wizard._create_return()
        self._validate(return_picking)
        self.assertEqual(order.order_line.qty_delivered, 0)
        self.assertNotIn("sp_shipped", self._done(order))

    def test_unreconcile_unstamps_reconciled(self):
        order = self._order(self.customer, self.service)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self._pay(invoice, invoice.amount_total)
        self.assertIn("bc_reconciled", self._done(order))
        invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable").remove_move_reconcile()
        self.assertNotIn("bc_reconciled", self._done(order))
        self.assertNotIn("bc_order_closed", self._done(order))

    def test_role_change_moves_open_steps(self):
        order = self._confirmed_goods_order()
        order.with_user(self.leader).osb_scr_id = self.scr_other
        rows = self._rows(order)
        self.assertEqual(rows["sp_picked_packed"].owner_id, self.scr_other)
        # Done steps keep the owner who answered for them.
        self.assertEqual(rows["sp_delivery_created"].owner_id, self.scr)

    def test_timeline_off_stamps_nothing(self):
        self.policy.timeline_enabled = False
        order = self._order(self.customer, self.service)
        order.action_confirm()
        self.assertFalse(order.osb_step_ids)

    def test_stamping_100_pickings_costs_what_1_does(self):
        orders = self.env["sale.order"].create(
            [
                {"partner_id": self.customer.id, "order_line": [Command.create({"product_id": self.goods.id})]}
                for _i in range(102)
            ]
        )
        self.customer.credit_limit = 10**9
        orders.action_confirm()
        pickings = orders.picking_ids
        self.assertEqual(len(pickings), 102)
        warm, one, hundred = pickings[:1], pickings[1:2], pickings[2:]
        for batch in (warm, one, hundred):
            self._validate(batch)
        self.Step._unstamp(["sp_shipped"], orders)
        # The first call fills the caches of the user's record rules.
        self._count_queries(warm._osb_timeline_on_done)
        queries_one = self._count_queries(one._osb_timeline_on_done)
        queries_hundred = self._count_queries(hundred._osb_timeline_on_done)
        self.assertEqual(queries_hundred, queries_one)
        shipped = self.Step.search(
            [("order_id", "in", orders.ids), ("step_id.code", "=", "sp_shipped"), ("done_date", "!=", False)]
        )
        self.assertEqual(len(shipped), 102)
        self.assertEqual(sorted(shipped.mapped("res_id")), sorted(pickings.ids))

    def _count_queries(self, function):
        self.env.invalidate_all()
        self.env.flush_all()
        start = self.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.cr.sql_log_count - start


@tagged("post_install", "-at_install")
class TestOsbTimelineManual(OsbTimelineCommon):
    def test_manual_step_ticked_by_its_owner_only(self):
        order = self._confirmed_goods_order()
        with self.assertRaisesRegex(AccessError, "Only the SCR"):
            order.with_user(self.csr).action_osb_tick_step("sp_picked_packed")
        # Another SCR does not even read the order.
        with self.assertRaises(AccessError):
            order.with_user(self.scr_other).action_osb_tick_step("sp_picked_packed")
        self.assertNotIn("sp_picked_packed", self._done(order))
        order.with_user(self.scr).action_osb_tick_step("sp_picked_packed")
        row = self._rows(order)["sp_picked_packed"]
        self.assertEqual(row.user_id, self.scr)
        self.assertTrue(row.done_date)
        # The SSG leader ticks any role's step, from the row as from the order.
        self._rows(order)["op_acknowledged"].with_user(self.leader).action_tick()
        self.assertEqual(self._rows(order)["op_acknowledged"].user_id, self.leader)

    def test_team_leaders_read_the_steps_of_their_subtree_only(self):
        leader_groups = "sales_team.group_sale_salesman,sales_team_mgmt.group_sales_team_mgmt_hierarchy"
        market_leader = new_test_user(self.env, login="osb_tl_mm", groups=leader_groups)
        unit_leader = new_test_user(self.env, login="osb_tl_um", groups=leader_groups)
        other_leader = new_test_user(self.env, login="osb_tl_um2", groups=leader_groups)
        Team = self.env["crm.team"]
        market = Team.create({"name": "OSB TL market", "team_type": "market", "user_id": market_leader.id})
        unit = Team.create(
            {"name": "OSB TL unit", "team_type": "unit", "parent_id": market.id, "user_id": unit_leader.id}
        )
        Team.create({"name": "OSB TL unit 2", "team_type": "unit", "parent_id": market.id, "user_id": other_leader.id})
        order = self._order(self.customer, self.goods, qty=2, price=100.0, team_id=unit.id)
        order.action_confirm()
        rows = order.osb_step_ids
        self.assertTrue(rows)
        for leader in (unit_leader, market_leader):
            self.assertEqual(self.Step.with_user(leader).search([("order_id", "=", order.id)]), rows)
            rows.with_user(leader).read(["done_date"])
            with self.assertRaises(AccessError, msg="a leader reads the timeline, the stamping methods write it"):
                rows[:1].with_user(leader).write({"done_date": fields.Datetime.now()})
        self.assertFalse(self.Step.with_user(other_leader).search([("order_id", "=", order.id)]))
        with self.assertRaises(AccessError):
            rows.with_user(other_leader).read(["done_date"])

    def test_step_ticked_twice_is_refused(self):
        order = self._confirmed_goods_order()
        order.with_user(self.scr).action_osb_tick_step("sp_picked_packed")
        before = self._rows(order)["sp_picked_packed"].done_date
        with self.assertRaisesRegex(UserError, "is done already"):
            order.with_user(self.scr).action_osb_tick_step("sp_picked_packed")
        self.assertEqual(self._rows(order)["sp_picked_packed"].done_date, before)

    def test_bad_step_codes_are_refused(self):
        order = self._confirmed_goods_order()
        with self.assertRaisesRegex(UserError, "no active OSB step"):
            order.with_user(self.scr).action_osb_tick_step("sp_teleported")
        with self.assertRaisesRegex(UserError, "cannot be ticked by hand"):
            order.with_user(self.scr).action_osb_tick_step("sp_shipped")
        self.assertNotIn("sp_shipped", self._done(order))

    def test_steps_keep_what_the_hooks_rely_on(self):
        step = self.env.ref("osb_credit.osb_step_sp_shipped")
        with self.assertRaisesRegex(UserError, "Code of an OSB step cannot be changed"):
            step.code = "sp_gone"
        with self.assertRaisesRegex(UserError, "Mode of an OSB step cannot be changed"):
            step.mode = "manual"
        with self.assertRaisesRegex(ValidationError, "SLA"):
            step.sla_hours = -1
        step.write({"sla_hours": 12.0, "name": "Shipped out"})
        self.assertEqual(self.env["osb.step"]._step_data()["sp_shipped"]["sla_hours"], 12.0)


@tagged("post_install", "-at_install")
class TestOsbTimelineSla(OsbTimelineCommon):
    def test_target_across_a_weekend(self):
        order = self._order(self.customer, self.service)
        # Credit checked on Friday 15:00; quota checked has 4 working hours: Friday 15-17, Monday 8-10.
        self.Step._stamp("op_credit_checked", order, when=FRIDAY_15)
        self.assertEqual(self._rows(order)["op_quota_checked"].planned_date, MONDAY.replace(hour=10))
        # Price approved has 8: from Friday 15:00, Monday 8-12, 13-15 after Friday's two hours.
        order2 = self._order(self.customer, self.service)
        self.Step._stamp("op_quota_checked", order2, when=FRIDAY_15)
        self.assertEqual(self._rows(order2)["op_price_approved"].planned_date, MONDAY.replace(hour=15))

    def test_targets_are_those_of_plan_hours(self):
        # A public holiday on Monday: the target moves to Tuesday, as plan_hours says.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "OSB holiday",
                "calendar_id": self.calendar.id,
                "date_from": MONDAY,
                "date_to": MONDAY.replace(hour=23, minute=59),
            }
        )
        # (the holiday clears the calendar's cached work intervals)
        planner = _TargetPlanner(self.env)
        for start in (FRIDAY_15, FRIDAY_15.replace(hour=7), FRIDAY_15.replace(hour=12, minute=30), MONDAY):
            for hours in (0.5, 2, 4, 8, 40):
                self.assertEqual(
                    planner.plan(self.company, start, hours),
                    self.calendar.plan_hours(hours, start, compute_leaves=True),
                    (start, hours),
                )
        self.assertEqual(planner.plan(self.company, FRIDAY_15, 4), datetime(2026, 12, 8, 10, 0))

    def test_breach_at_the_boundary(self):
        target = MONDAY.replace(hour=10)
        on_time, late = self._order(self.customer, self.service), self._order(self.customer, self.service)
        self.Step._stamp("op_credit_checked", on_time | late, when=FRIDAY_15)
        self.Step._stamp("op_quota_checked", on_time, when=target)
        self.Step._stamp("op_quota_checked", late, when=target + timedelta(seconds=1))
        self.assertFalse(self._rows(on_time)["op_quota_checked"].breached)
        self.assertTrue(self._rows(late)["op_quota_checked"].breached)
        self.assertEqual(on_time.osb_late_step_count, 0)
        self.assertEqual(late.osb_late_step_count, 1)

    def test_cron_flags_open_steps_past_target(self):
        past, future = self._order(self.customer, self.service), self._order(self.customer, self.service)
        self.Step._stamp("op_credit_checked", past, when=fields.Datetime.now() - timedelta(days=10))
        self.Step._stamp("op_credit_checked", future, when=fields.Datetime.now() + timedelta(days=10))
        self.Step._cron_flag_breaches()
        self.assertTrue(self._rows(past)["op_quota_checked"].breached)
        self.assertFalse(self._rows(future)["op_quota_checked"].breached)
        breaches = self.env["osb.order.step"].with_user(self.csr).search([("breached", "=", True)])
        self.assertIn(self._rows(past)["op_quota_checked"], breaches)

    def test_cycle_times_of_a_fully_run_order(self):
        order = self._order(self.customer, self.service)
        self.Step._unstamp("op_received", order)
        self.Step._stamp("op_received", order, when=FRIDAY_15)
        self.Step._stamp("sp_shipped", order, when=MONDAY.replace(hour=10))
        self.Step._stamp("bc_invoice_posted", order, when=datetime(2026, 12, 8, 9, 0))
        self.Step._stamp("bc_reconciled", order, when=datetime(2026, 12, 9, 14, 0))
        # Friday 15-17 + Monday 8-10.
        self.assertAlmostEqual(order.osb_order_ship_hours, 4.0)
        self.assertAlmostEqual(order.osb_order_ship_days, 2.79)
        # Monday 10-12, 13-17 + Tuesday 8-9.
        self.assertAlmostEqual(order.osb_ship_invoice_hours, 7.0)
        self.assertAlmostEqual(order.osb_ship_invoice_days, 0.96)
        # Tuesday 9-12, 13-17 + Wednesday 8-12, 13-14.
        self.assertAlmostEqual(order.osb_invoice_cash_hours, 12.0)
        self.assertAlmostEqual(order.osb_invoice_cash_days, 1.21)
        self.assertAlmostEqual(order.osb_order_cash_hours, 23.0)
        self.assertAlmostEqual(order.osb_order_cash_days, 4.96)
        groups = self.env["sale.order"]._read_group(
            [("id", "=", order.id)], ["osb_csr_id", "date_order:month"], ["osb_order_cash_hours:avg"]
        )
        self.assertEqual(groups[0][0], self.csr)
        self.assertAlmostEqual(groups[0][2], 23.0)

    def test_due_reminder_cron(self):
        self.policy.due_reminder_days = 3
        today = fields.Date.context_today(self.customer)

        def invoiced_order(due_in):
            order = self._order(self.customer, self.service)
            order.action_confirm()
            invoice = order._create_invoices()
            invoice.invoice_payment_term_id = False
            invoice.invoice_date_due = today + timedelta(days=due_in)
            invoice.action_post()
            self.assertEqual(invoice.invoice_date_due, today + timedelta(days=due_in))
            return order, invoice

        order, invoice = invoiced_order(2)
        far, _far_invoice = invoiced_order(20)
        Mail = self.env["mail.mail"].sudo()
        mails_before = Mail.search_count([("model", "=", "account.move"), ("res_id", "=", invoice.id)])
        self.Step._cron_due_reminder()
        row = self._rows(order)["bc_due_reminder"]
        self.assertTrue(row.done_date)
        self.assertEqual(row.document_ref, invoice)
        self.assertNotIn("bc_due_reminder", self._done(far))
        mails = Mail.search_count([("model", "=", "account.move"), ("res_id", "=", invoice.id)])
        self.assertEqual(mails, mails_before + 1)
        self.Step._cron_due_reminder()
        self.assertEqual(Mail.search_count([("model", "=", "account.move"), ("res_id", "=", invoice.id)]), mails)
