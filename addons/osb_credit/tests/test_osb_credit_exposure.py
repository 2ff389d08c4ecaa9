# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import tagged

from .common import OsbCreditCommon


@tagged("post_install", "-at_install")
class TestOsbCreditExposure(OsbCreditCommon):
    def test_exposure_matches_hand_computation(self):
        customer = self._create_customer("OSB Hand Customer", 100000.0, osb_credit_grade="A")
        contact = self.env["res.partner"].create({"name": "OSB Buyer", "parent_id": customer.id, "type": "invoice"})
        # Invoice 1: 1,000 due 10 days ago, 400 paid -> 600 overdue.
        inv1 = self._invoice(customer, 1000.0, days_ago=10)
        self._pay(inv1, 400.0)
        # Invoice 2: 2,000 due in 30 days -> not due.
        self._invoice(customer, 2000.0, due_days=30)
        # A payment of 300 not applied to any invoice.
        payment = self.env["account.payment"].create(
            {"partner_id": customer.id, "amount": 300.0, "payment_type": "inbound", "partner_type": "customer"}
        )
        payment.action_post()
        # A draft invoice of 250 not from any order.
        self._invoice(customer, 250.0, post=False)
        # Order 1: 10 goods x 100 + 10% tax, invoiced on delivery; 4 delivered and invoiced.
        order1 = self._order(customer, self.goods, qty=10, price=100.0)
        order1.action_confirm()
        self.assertEqual(order1.state, "sale")
        picking = order1.picking_ids
        picking.move_ids.write({"quantity": 4, "picked": True})
        picking._action_done()
        self.assertEqual(order1.order_line.qty_delivered, 4)
        invoice_o1 = order1._create_invoices()
        invoice_o1.invoice_date_due = self.today.replace(year=self.today.year + 1)
        invoice_o1.action_post()
        self.assertAlmostEqual(invoice_o1.amount_total, 440.0)
        # Order 2 by the child contact: 500 service, 20% down payment invoiced and paid.
        order2 = self._order(contact, self.service, qty=1, price=500.0)
        order2.action_confirm()
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order2.ids)
            .create({"advance_payment_method": "percentage", "amount": 20})
        )
        wizard.create_invoices()
        dp_invoice = order2.invoice_ids
        dp_invoice.action_post()
        self.assertAlmostEqual(dp_invoice.amount_total, 100.0)
        self._pay(dp_invoice, 100.0)
        # An order in a second company does not count.
        company_b = self.setup_other_company()["company"]
        self.env["osb.credit.policy"]._get_policy(company_b)
        customer.with_company(company_b).write(
            {"credit_limit": 50000.0, "property_payment_term_id": self.term_immediate.id}
        )
        self.env["sale.order"].with_company(company_b).create(
            {
                "partner_id": customer.id,
                "company_id": company_b.id,
                "order_line": [
                    Command.create({"product_id": self.service.id, "price_unit": 7777.0, "tax_id": [Command.clear()]})
                ],
            }
        ).action_confirm()

        values = self._exposure(customer)
        expected = {
            "receivable_not_due": 2000.0 + 440.0,
            "receivable_overdue": 600.0,
            "order_uninvoiced": 6 * 110.0 + 500.0,
            "draft_invoice": 250.0,
            "current_order": 0.0,
            "unapplied_payment": 300.0,
            "down_payment": 100.0,
        }
        for name, amount in expected.items():
            self.assertAlmostEqual(values[name], amount, msg=name)
        self.assertAlmostEqual(values["exposure"], 2440 + 600 + 1160 + 250 - 300 - 100)
        self.assertEqual(values["max_overdue_days"], 10)
        # The second company sees only its own order.
        values_b = self._exposure(customer, company=company_b)
        self.assertAlmostEqual(values_b["exposure"], 7777.0)
        # A new draft order of the contact counts as "this order".
        order3 = self._order(contact, self.goods, qty=2, price=100.0)
        values = self._exposure(customer, orders=order3)
        self.assertAlmostEqual(values["current_order"], 220.0)
        self.assertAlmostEqual(values["exposure"], 4050.0 + 220.0)
        # The stored record holds the same numbers.
        stored = self.env["osb.credit.exposure"]._refresh(customer, self.company)
        self.assertRecordValues(
            stored,
            [
                {
                    "partner_id": customer.id,
                    "exposure": 4050.0,
                    "receivable_overdue": 600.0,
                    "order_uninvoiced": 1160.0,
                    "credit_limit": 100000.0,
                    "available": 95950.0,
                    "over_limit": False,
                    "max_overdue_days": 10,
                }
            ],
        )
        self.assertEqual(self.env["osb.credit.exposure"]._refresh(customer, self.company), stored, "updated in place")
        # The orders' stored credit amounts equal the SQL computation from their lines
        # (the one that fills the existing orders when the addon is installed).
        orders = customer.sale_order_ids | contact.sale_order_ids
        self.env.flush_all()
        self.env.cr.execute(self.env["sale.order"]._osb_credit_amounts_query(orders.ids))
        from_lines = {order_id: (uninvoiced, dp) for order_id, uninvoiced, dp in self.env.cr.fetchall()}
        self.assertEqual(len(from_lines), len(orders))
        for order in orders:
            self.assertAlmostEqual(order.osb_credit_uninvoiced_amount, from_lines[order.id][0], msg=order.name)
            self.assertAlmostEqual(order.osb_credit_down_payment_amount, from_lines[order.id][1], msg=order.name)
        self.assertAlmostEqual(sum(orders.mapped("osb_credit_down_payment_amount")), 100.0)

    def test_salesman_rules_do_not_shrink_exposure(self):
        customer = self._create_customer("OSB Rule Customer", 100000.0)
        other_user = self.env["res.users"].create({"name": "OSB Other", "login": "osb_t_other_salesman"})
        order = self._order(customer, self.service, price=1000.0, user_id=other_user.id)
        order.action_confirm()
        values = self.env["osb.credit.exposure"].with_user(self.salesman)._compute_exposure(customer.ids, self.company)
        self.assertAlmostEqual(values[customer.id]["order_uninvoiced"], 1000.0)

    def test_check_query_count_does_not_grow(self):
        customer = self._create_customer("OSB Count Customer", 10000000.0)

        def add_history(n):
            for _i in range(n):
                self._invoice(customer, 100.0, due_days=30)
                self._order(customer, self.service, price=100.0).action_confirm()

        def measure():
            order = self._order(customer, self.service, price=10.0)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            passed = order._osb_credit_check()
            self.env.flush_all()
            self.assertEqual(passed, order)
            return self.env.cr.sql_log_count - before

        add_history(2)
        small = measure()
        add_history(15)
        self.env.invalidate_all()
        order = self._order(customer, self.service, price=10.0)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(small):
            order._osb_credit_check()
            self.env.flush_all()

    def test_aging_buckets(self):
        customer = self._create_customer("OSB Aging Customer", 100000.0)
        first = self._invoice(customer, 100.0, due_days=10)
        self._invoice(customer, 200.0, days_ago=20)
        self._invoice(customer, 300.0, days_ago=45)
        self._invoice(customer, 400.0, days_ago=75)
        self._invoice(customer, 500.0, days_ago=120)
        self.env.flush_all()
        Aging = self.env["osb.credit.aging"]
        groups = Aging._read_group(
            [("partner_id", "=", customer.id)],
            ["partner_id"],
            [
                "amount_not_due:sum",
                "amount_0_30:sum",
                "amount_31_60:sum",
                "amount_61_90:sum",
                "amount_over_90:sum",
                "residual:sum",
            ],
        )
        self.assertEqual(groups, [(customer, 100.0, 200.0, 300.0, 400.0, 500.0, 1500.0)])
        by_user = Aging._read_group([("partner_id", "=", customer.id)], ["user_id"], ["residual:sum"])
        self.assertEqual(by_user, [(first.invoice_user_id, 1500.0)])

    def test_queue_and_serials_of_deleted_customers(self):
        """Queue and serial rows carry plain ids (no foreign key): the cron skips a
        customer deleted meanwhile, and the purge drops its serials."""
        customer = self._create_customer("OSB Kept Customer", 1000.0)
        gone = self._create_customer("OSB Gone Customer", 1000.0)
        gone_id = gone.id
        Queue = self.env["osb.credit.exposure.queue"].sudo()
        Queue.search([]).unlink()
        Queue._enqueue({(customer.id, self.company.id), (gone_id, self.company.id)})
        gone.unlink()
        Queue._cron_process()
        self.assertFalse(Queue.search([]))
        self.assertTrue(self.env["osb.credit.exposure"].search([("partner_id", "=", customer.id)]))
        old = fields.Datetime.now() - timedelta(days=2)
        self.env.cr.execute(
            """
            INSERT INTO osb_credit_serial (partner_id, company_id, serial, checked_at)
            VALUES (%(kept)s, %(company)s, 1, %(old)s), (%(kept)s, %(company)s, 2, %(old)s),
                   (%(gone)s, %(company)s, 1, %(old)s)
            """,
            {"kept": customer.id, "gone": gone_id, "company": self.company.id, "old": old},
        )
        self.env["osb.credit.serial"]._gc_serials()
        self.env.cr.execute(
            "SELECT partner_id, serial FROM osb_credit_serial WHERE partner_id IN %s ORDER BY 1, 2",
            [(customer.id, gone_id)],
        )
        self.assertEqual(self.env.cr.fetchall(), [(customer.id, 2)], "the last serial of a customer is kept")

    def test_rebuild_queues_once_and_the_refresh_resumes_when_cut(self):
        """The nightly rebuild queues every active customer once; the refresh cron
        drains the queue batch by batch, telling Odoo's cron runner what remains; a
        batch cut short by an error stays queued and the next run does it; a run on
        an empty queue changes nothing."""
        customers = [self._create_customer(f"OSB Rebuild {n}", 10000.0) for n in range(3)]
        for n, customer in enumerate(customers):
            self._order(customer, price=100.0 * (n + 1)).action_confirm()
        Queue = self.env["osb.credit.exposure.queue"].sudo()
        Exposure = self.env["osb.credit.exposure"].sudo()
        Queue.search([]).unlink()
        Exposure.search([("partner_id", "in", [c.id for c in customers])]).unlink()
        queued = Exposure._cron_rebuild()
        self.assertGreaterEqual(queued, 3)
        self.assertEqual(Exposure._cron_rebuild(), 0, "customers already queued are not queued twice")
        self.assertEqual(Queue.search_count([]), queued)
        cron = self.env.ref("osb_credit.ir_cron_osb_credit_exposure_refresh")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "done": 0, "remaining": 0})
        Batch = Queue.with_context(ir_cron_progress_id=progress.id)
        Batch._cron_process(limit=1)
        self.assertRecordValues(progress, [{"done": 1, "remaining": queued - 1}])
        # A batch cut short: nothing of it is done, it stays queued.
        with (
            patch.object(type(Exposure), "_refresh", side_effect=RuntimeError("cut")),
            self.assertRaises(RuntimeError),
        ):
            Batch._cron_process(limit=2)
        self.assertEqual(Queue.search_count([]), queued - 1)
        while Queue.search_count([]):
            Batch._cron_process(limit=2)
        stored = Exposure.search([("partner_id", "in", [c.id for c in customers])], order="order_uninvoiced")
        self.assertEqual(stored.mapped("order_uninvoiced"), [100.0, 200.0, 300.0])
        Batch._cron_process(limit=2)
        self.assertRecordValues(progress, [{"done": 0, "remaining": 0}])
        self.assertEqual(stored.mapped("order_uninvoiced"), [100.0, 200.0, 300.0])

    def test_events_queue_the_stored_refresh(self):
        customer = self._create_customer("OSB Queue Customer", 100000.0)
        Queue = self.env["osb.credit.exposure.queue"].sudo()
        Queue.search([]).unlink()
        order = self._order(customer, price=1500.0)
        order.action_confirm()
        queued = Queue.search([("partner_id", "=", customer.id)])
        self.assertTrue(queued)
        self.assertEqual(queued.company_id, self.company.id)
        Queue._cron_process()
        self.assertFalse(Queue.search([("partner_id", "=", customer.id)]))
        stored = self.env["osb.credit.exposure"].search([("partner_id", "=", customer.id)])
        self.assertRecordValues(stored, [{"order_uninvoiced": 1500.0, "exposure": 1500.0, "available": 98500.0}])
        # Posting an invoice for it queues again; the numbers move from orders to receivables.
        order._create_invoices().action_post()
        Queue._cron_process()
        self.assertRecordValues(stored, [{"order_uninvoiced": 0.0, "receivable_not_due": 1500.0, "exposure": 1500.0}])
        # Customers and their contacts are found by their stored exposure.
        contact = self.env["res.partner"].create({"name": "OSB Queue Buyer", "parent_id": customer.id})
        Partner = self.env["res.partner"].with_context(active_test=False)
        self.assertEqual(Partner.search([("osb_exposure_id", "=", stored.id)]), customer | contact)
        self.assertEqual(contact.osb_exposure_id, stored)
        other = self.env["res.partner"].create({"name": "OSB Customer Without Exposure"})
        trio = [("id", "in", (customer | contact | other).ids)]
        self.assertEqual(Partner.search([("osb_exposure_id", "=", False), *trio]), other)
        self.assertEqual(Partner.search([("osb_exposure_id", "!=", False), *trio]), customer | contact)

    def test_credit_master_changes_queue_the_stored_refresh(self):
        customer = self._create_customer("OSB Master Customer", 1000.0)
        Queue = self.env["osb.credit.exposure.queue"].sudo()
        for vals in (
            {"credit_limit": 2000.0},
            {"osb_credit_grade": "B"},
            {"osb_credit_blocked": True},
        ):
            Queue.search([]).unlink()
            customer.with_user(self.credit_manager).write(vals)
            queued = Queue.search([])
            self.assertEqual([(q.partner_id, q.company_id) for q in queued], [(customer.id, self.company.id)], vals)
        Queue.search([]).unlink()
        customer.sudo().write({"osb_credit_limit_set": False})
        self.assertEqual(Queue.search([]).mapped("partner_id"), [customer.id])
        Queue.search([]).unlink()
        customer.write({"phone": "123"})
        self.assertFalse(Queue.search([]), "other fields do not queue")
        customer.write({"osb_credit_limit_set": True})
        Queue._cron_process()
        stored = self.env["osb.credit.exposure"].search([("partner_id", "=", customer.id)])
        self.assertRecordValues(stored, [{"credit_limit": 2000.0, "credit_grade": "B", "blocked": True}])
