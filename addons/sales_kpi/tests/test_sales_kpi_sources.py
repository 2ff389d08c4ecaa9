# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime
from unittest.mock import patch

from odoo import Command, sql_db
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.sales_kpi.models import sales_kpi_fact
from odoo.addons.sales_kpi.models.sales_kpi_fact import REFRESH_LOCK, REFRESH_PARAM

from .common import SalesKpiCommon


@tagged("post_install", "-at_install")
class TestSalesKpiSources(SalesKpiCommon):
    def test_facts_keys_and_idempotence(self):
        Fact = self.env["sales.kpi.fact"]
        facts = Fact.search([("user_id", "=", self.u1.id), ("company_id", "=", self.company_a.id)])
        self.assertEqual(facts.mapped("partner_id"), self.c1 | self.c4, "commercial partners only")
        self.assertAlmostEqual(sum(facts.mapped("amount_sale")), 900 + 660 + 100)
        before = sorted(
            (f.month, f.team_id.id, f.partner_id.id, f.categ_id.id, f.amount_sale, f.order_count) for f in facts
        )
        Fact.rebuild("2024-01-01", "2025-12-31")
        Fact.refresh()
        Fact.refresh()
        facts = Fact.search([("user_id", "=", self.u1.id), ("company_id", "=", self.company_a.id)])
        after = sorted(
            (f.month, f.team_id.id, f.partner_id.id, f.categ_id.id, f.amount_sale, f.order_count) for f in facts
        )
        self.assertEqual(before, after)
        company_b = Fact.search([("company_id", "=", self.company_b.id), ("user_id", "=", self.u1.id)])
        self.assertAlmostEqual(sum(company_b.mapped("amount_sale")), 3000)

    def test_incremental_refresh_picks_up_new_order(self):
        Fact = self.env["sales.kpi.fact"]
        Fact.refresh()
        self._order(self.u2, self.east, self.c2, "2025-04-02 09:00:00", [(self.p1, 3, 100)])
        Fact.refresh()
        values = self.values(self.kpis["sales"], "user", self.u2, ["2025-04"])
        self.assertAlmostEqual(values[(self.u2.id, "2025-04")], 300)

    def test_incremental_refresh_empties_the_month_an_order_left(self):
        """A confirmed order whose date moves to another month (or whose
        company changes) leaves its old month: the next refresh recomputes it."""
        Fact = self.env["sales.kpi.fact"]
        order = self._order(self.u2, self.east, self.c2, "2025-05-20 09:00:00", [(self.p1, 3, 100)])
        Fact.refresh()
        months = ["2025-05", "2025-06"]
        self.assertEqual(self.values(self.kpis["sales"], "user", self.u2, months)[(self.u2.id, "2025-05")], 300)
        order.date_order = "2025-06-03 09:00:00"
        Fact.refresh()
        values = self.values(self.kpis["sales"], "user", self.u2, months)
        self.assertEqual((values[(self.u2.id, "2025-05")], values[(self.u2.id, "2025-06")]), (0, 300))
        self.assertFalse(self._rollup_differences())
        self.env.cr.execute("SELECT count(*) FROM sales_kpi_fact_stale")
        self.assertEqual(self.env.cr.fetchone()[0], 0, "the refresh consumed the queued months")
        # a quotation's date is no fact's: nothing is queued
        quotation = self._order(self.u2, self.east, self.c2, "2025-05-20 09:00:00", [(self.p1, 1, 1)], state="draft")
        quotation.date_order = "2025-07-01 09:00:00"
        self.env.cr.execute("SELECT count(*) FROM sales_kpi_fact_stale")
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_incremental_refresh_empties_the_month_an_invoice_left(self):
        """An invoice reset to draft, re-dated and posted again leaves its old month."""
        Fact = self.env["sales.kpi.fact"]
        invoice = self._invoice("out_invoice", date(2025, 5, 20), [(self.p1, 2, 100)], user=self.u2)
        Fact.refresh()
        months = ["2025-05", "2025-06"]
        values = self.values(self.kpis["invoiced"], "user", self.u2, months)
        self.assertEqual((values[(self.u2.id, "2025-05")], values[(self.u2.id, "2025-06")]), (200, 0))
        invoice.button_draft()
        invoice.write({"invoice_date": date(2025, 6, 3), "date": date(2025, 6, 3)})
        invoice.action_post()
        Fact.refresh()
        values = self.values(self.kpis["invoiced"], "user", self.u2, months)
        self.assertEqual((values[(self.u2.id, "2025-05")], values[(self.u2.id, "2025-06")]), (0, 200))
        self.assertFalse(self._rollup_differences())

    def _rollup_differences(self):
        """Rows of the salesperson roll-up that differ from the same aggregate
        of the facts (both ways): the roll-up is written with each source,
        never aggregated from the facts, so this is what keeps it honest."""
        self.env.flush_all()
        cr = self.env.cr
        measures = (
            "amount_sale, amount_list, qty_sale, order_count, amount_invoiced, qty_invoiced, "
            "amount_receivable, amount_paid"
        )
        sums = ", ".join(f"SUM({m.strip()})" for m in measures.split(","))
        facts = f"SELECT company_id, month, team_id, user_id, {sums} FROM sales_kpi_fact GROUP BY 1, 2, 3, 4"
        rollup = f"SELECT company_id, month, team_id, user_id, {measures} FROM sales_kpi_fact_user"
        cr.execute(f"({facts}) EXCEPT ALL ({rollup})")
        differences = [("missing", row) for row in cr.fetchall()]
        cr.execute(f"({rollup}) EXCEPT ALL ({facts})")
        return differences + [("extra", row) for row in cr.fetchall()]

    def test_rollups_agree_with_the_facts(self):
        Fact = self.env["sales.kpi.fact"]
        truncated = []
        empty_chunk = type(Fact)._empty_chunk

        def record(fact, in_chunk, params):
            truncated.append(empty_chunk(fact, in_chunk, params))
            return truncated[-1]

        self.env["ir.config_parameter"].sudo().set_param("sales_kpi.fact_chunk_months", "400")
        with patch.object(type(Fact), "_empty_chunk", record):
            Fact.rebuild("2000-01-01", "2030-12-31")
            self.assertEqual(truncated, [True], "a rebuild of every month empties the tables at once")
            self.assertEqual(self._rollup_differences(), [])
            # an order and an invoice of a new month: the invoice's facts meet
            # the order's in the facts and the roll-up of the salesperson
            self._order(self.u2, self.east, self.c2, "2025-04-02 09:00:00", [(self.p1, 3, 100), (self.p2, 1, 40)])
            self._invoice("out_invoice", date(2025, 4, 3), [(self.p1, 3, 100)], user=self.u2, partner=self.c2)
            Fact.rebuild("2025-04-01", "2025-04-30")
            self.assertEqual(truncated[-1], False, "a refresh of a few months deletes them")
            self.assertEqual(self._rollup_differences(), [])
            Fact.refresh()
            self.assertEqual(self._rollup_differences(), [])
        self.env.cr.execute(
            """
            SELECT amount_sale, order_count, amount_invoiced, amount_receivable FROM sales_kpi_fact_user
             WHERE user_id = %s AND month = '2025-04-01'
            """,
            [self.u2.id],
        )
        self.assertEqual([tuple(float(v) for v in row) for row in self.env.cr.fetchall()], [(340.0, 1.0, 300.0, 300.0)])
        # the customer KPIs read the order-level facts: no category, orders counted
        self.env.cr.execute(
            """
            SELECT partner_id, order_count, amount_receivable FROM sales_kpi_fact
             WHERE user_id = %s AND month = '2025-04-01' AND categ_id IS NULL
            """,
            [self.u2.id],
        )
        self.assertEqual([(p, c, float(r)) for p, c, r in self.env.cr.fetchall()], [(self.c2.id, 1, 300.0)])

    def _fact_rows(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT company_id, month, team_id, user_id, partner_id, categ_id, amount_sale, qty_sale, order_count,"
            " amount_invoiced, amount_paid FROM sales_kpi_fact ORDER BY 1, 2, 3, 4, 5, 6"
        )
        return self.env.cr.fetchall()

    def test_cron_refreshes_a_chunk_per_call_and_resumes(self):
        """The cron refreshes one chunk of months per call and queues the rest,
        telling Odoo's cron runner what remains; a run cut short after its first
        call leaves the queue for the next run, which finishes the work: the
        facts then equal a full rebuild, and a further run changes nothing."""
        Fact = self.env["sales.kpi.fact"]
        Fact.refresh()
        months = ["2025-04", "2025-06", "2025-08"]
        before = self.values(self.kpis["sales"], "user", self.u2, months)
        for when in ("2025-04-02 09:00:00", "2025-06-03 09:00:00", "2025-08-04 09:00:00"):
            self._order(self.u2, self.east, self.c2, when, [(self.p1, 3, 100)])
        cron = self.env.ref("sales_kpi.ir_cron_sales_kpi_fact_refresh")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "done": 0, "remaining": 0})
        run = Fact.with_context(ir_cron_progress_id=progress.id)._cron_refresh
        run(months=1)
        self.assertEqual(progress.done, 1)
        self.assertGreaterEqual(progress.remaining, 2, "one month done, the others queued")
        self.env.cr.execute("SELECT count(DISTINCT month) FROM sales_kpi_fact_stale")
        self.assertEqual(self.env.cr.fetchone()[0], progress.remaining)
        values = self.values(self.kpis["sales"], "user", self.u2, months)
        deltas = [values[(self.u2.id, m)] - before[(self.u2.id, m)] for m in months]
        self.assertLess(sum(deltas), 900, f"the run was cut after one month: {deltas}")
        # The next run goes on from the queue until nothing remains.
        for _i in range(20):
            run(months=1)
            if not progress.remaining:
                break
        self.assertEqual(progress.remaining, 0)
        values = self.values(self.kpis["sales"], "user", self.u2, months)
        self.assertEqual([values[(self.u2.id, m)] - before[(self.u2.id, m)] for m in months], [300, 300, 300])
        incremental = self._fact_rows()
        Fact.rebuild("2024-01-01", "2025-12-31")
        self.assertEqual(self._fact_rows(), incremental)
        run()
        self.assertEqual(self._fact_rows(), incremental)
        self.assertFalse(self._rollup_differences())

    def test_one_refresh_at_a_time(self):
        Fact = self.env["sales.kpi.fact"]
        Fact.rebuild("2024-01-01", "2025-12-31")
        sales = self.values(self.kpis["sales"], "user", self.u1, ["2025-03"])
        # another job (its own connection) is refreshing the facts; this test's
        # transaction holds the lock since setUp: the lock is taken on another key
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        lock = (REFRESH_LOCK[0], REFRESH_LOCK[1] + 1000)
        try:
            other.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", lock)
            self.assertTrue(other.fetchone()[0])
            self.startPatcher(patch.object(sales_kpi_fact, "REFRESH_LOCK", lock))
            with self.assertRaisesRegex(UserError, "being refreshed by another job"):
                Fact.rebuild("2025-03-01", "2025-03-31")
            with self.assertRaisesRegex(UserError, "being refreshed by another job"):
                Fact.refresh()
            # the cron skips its run, and nothing is half-written
            with patch.object(type(Fact), "_refresh_pairs") as refresh_pairs:
                Fact._cron_refresh()
            refresh_pairs.assert_not_called()
            self.assertEqual(self.values(self.kpis["sales"], "user", self.u1, ["2025-03"]), sales)
        finally:
            other.rollback()
            other.close()
        self.assertTrue(Fact._lock_refresh())
        # the cron's next run refreshes
        refresh_pairs = type(Fact)._refresh_pairs
        with patch.object(type(Fact), "_refresh_pairs", autospec=True, side_effect=refresh_pairs) as called:
            Fact._cron_refresh()
        called.assert_called_once()
        # once it has finished, the next refresh runs and stamps its start
        self.env["ir.config_parameter"].sudo().set_param(REFRESH_PARAM, "-")
        self.assertGreater(Fact.rebuild("2025-03-01", "2025-03-31"), 0)
        self.assertNotEqual(self.env["ir.config_parameter"].sudo().get_param(REFRESH_PARAM), "-")
        self.assertEqual(self.values(self.kpis["sales"], "user", self.u1, ["2025-03"]), sales)

    def test_confirmed_sales_units_orders(self):
        periods = ["2025-03", "2025-Q1", "2024", ["2025-01-01", "2025-12-31"]]
        sales = self.values(self.kpis["sales"], "user", self.u1 | self.u2 | self.u3, periods)
        self.assertAlmostEqual(sales[(self.u1.id, "2025-03")], 760)  # 660 + 100 (200 EUR / 2)
        self.assertAlmostEqual(sales[(self.u1.id, "2025-Q1")], 760)
        self.assertAlmostEqual(sales[(self.u1.id, "2024")], 900)
        self.assertAlmostEqual(sales[(self.u1.id, "2025-01-01..2025-12-31")], 760)
        self.assertAlmostEqual(sales[(self.u2.id, "2025-03")], 500)
        self.assertAlmostEqual(sales[(self.u3.id, "2025-03")], 0)
        units = self.values(self.kpis["units"], "user", self.u1, ["2025-03"])
        self.assertAlmostEqual(units[(self.u1.id, "2025-03")], 10)
        orders = self.values(self.kpis["orders"], "user", self.u1, ["2025-03", "2024"])
        self.assertEqual(orders[(self.u1.id, "2025-03")], 2, "an order over two categories counts once")
        self.assertEqual(orders[(self.u1.id, "2024")], 1)

    def test_team_covers_subtree(self):
        teams = self.top | self.north | self.east | self.west | self.south
        sales = self.values(self.kpis["sales"], "team", teams, ["2025-03", "2024"])
        self.assertAlmostEqual(sales[(self.top.id, "2025-03")], 1260)
        self.assertAlmostEqual(sales[(self.north.id, "2025-03")], 1260)
        self.assertAlmostEqual(sales[(self.east.id, "2025-03")], 1260)
        self.assertAlmostEqual(sales[(self.west.id, "2024")], 200)
        self.assertAlmostEqual(sales[(self.north.id, "2024")], 1100)
        self.assertAlmostEqual(sales[(self.south.id, "2024")], 0)

    def test_invoiced_revenue_and_collection_rate(self):
        invoiced = self.values(self.kpis["invoiced"], "user", self.u1, ["2025-02", "2025-03", "2025-Q1"])
        self.assertAlmostEqual(invoiced[(self.u1.id, "2025-02")], 100)
        self.assertAlmostEqual(invoiced[(self.u1.id, "2025-03")], 400, "500 invoiced - 100 credit note")
        self.assertAlmostEqual(invoiced[(self.u1.id, "2025-Q1")], 500)
        rate = self.values(self.kpis["collection_rate"], "user", self.u1, ["2025-03", "2025-Q1"])
        # March: paid 300 / (100 open at March 1st + 500 - 100 invoiced in March)
        self.assertAlmostEqual(rate[(self.u1.id, "2025-03")], 60.0)
        # Q1: paid 300 / (0 + 100 + 500 - 100)
        self.assertAlmostEqual(rate[(self.u1.id, "2025-Q1")], 60.0)
        east = self.values(self.kpis["collection_rate"], "team", self.north, ["2025-03"])
        self.assertAlmostEqual(east[(self.north.id, "2025-03")], 60.0)

    def test_price_maintenance(self):
        values = self.values(self.kpis["price_maintenance"], "user", self.u1 | self.u2, ["2025-03", "2024"])
        self.assertAlmostEqual(values[(self.u1.id, "2025-03")], 95.0)  # 760 / 800
        self.assertAlmostEqual(values[(self.u1.id, "2024")], 90.0)  # 900 / 1000
        self.assertAlmostEqual(values[(self.u2.id, "2025-03")], 100.0)

    def test_new_lost_retained_customers(self):
        users = self.u1 | self.u2 | self.u3
        new = self.values(self.kpis["new_customers"], "user", users, ["2025-03", "2024"])
        self.assertEqual(new[(self.u1.id, "2025-03")], 1, "C4; C1 first ordered in 2024")
        self.assertEqual(new[(self.u2.id, "2025-03")], 1, "C2")
        self.assertEqual(new[(self.u1.id, "2024")], 1, "C1")
        self.assertEqual(new[(self.u3.id, "2024")], 1, "C3")
        lost = self.values(self.kpis["lost_customers"], "user", users, ["2024-11", "2024-10", "2025", "2025-09"])
        # C3 last ordered in May 2024: 6 months without order complete in November.
        self.assertEqual(lost[(self.u3.id, "2024-11")], 1)
        self.assertEqual(lost[(self.u3.id, "2024-10")], 0)
        # C1 ordered again in March 2025 (gap of 11 months > 6): lost in September 2024, then again
        # with C4 in September 2025; C2 (u2) too.
        self.assertEqual(lost[(self.u1.id, "2025-09")], 2)
        self.assertEqual(lost[(self.u2.id, "2025")], 1)
        self.company_a.kpi_lost_customer_months = 12
        lost = self.values(self.kpis["lost_customers"], "user", users, ["2024", "2025"])
        self.assertEqual(lost[(self.u3.id, "2024")], 0, "with 12 months, C3 is lost in May 2025")
        self.assertEqual(lost[(self.u3.id, "2025")], 1)
        retention = self.values(self.kpis["retention"], "user", users, ["2025", "2025-03"])
        self.assertAlmostEqual(retention[(self.u1.id, "2025")], 100.0, "C1 bought in 2024 and in 2025")
        self.assertAlmostEqual(retention[(self.u1.id, "2025-03")], 100.0)
        self.assertAlmostEqual(retention[(self.u3.id, "2025")], 0.0, "C3 did not come back")

    def test_growth(self):
        values = self.values(self.kpis["growth"], "user", self.u1 | self.u2, ["2025-03", "2025"])
        self.assertAlmostEqual(values[(self.u1.id, "2025-03")], (760 - 900) / 900 * 100, places=3)
        self.assertAlmostEqual(values[(self.u2.id, "2025")], 0.0, msg="no history: 0")

    def test_multi_company(self):
        kpi_b = self.env["sales.kpi"].create(
            {"code": "KPIT_SALES", "name": "B sales", "source": "sales", "company_id": self.company_b.id}
        )
        values = self.values(kpi_b, "user", self.u1, ["2025-03"])
        self.assertAlmostEqual(values[(self.u1.id, "2025-03")], 3000)
        rows = self.env["sales.kpi"].compute_values_by_code(
            ["KPIT_SALES"], "user", [self.u1.id], ["2025-03"], company_id=self.company_a.id
        )
        self.assertAlmostEqual(rows[0]["value"], 760)

    def test_manual_source(self):
        kpi = self.env["sales.kpi"].create({"code": "KPIT_MANUAL", "name": "Manual", "unit": "score"})
        Value = self.env["sales.kpi.manual.value"]
        Value.create(
            [
                {"kpi_id": kpi.id, "month": "2025-01-15", "user_id": self.u1.id, "value": 80},
                {"kpi_id": kpi.id, "month": "2025-02-01", "user_id": self.u1.id, "value": 90},
                {"kpi_id": kpi.id, "month": "2025-01-01", "team_id": self.east.id, "value": 70},
            ]
        )
        values = self.values(kpi, "user", self.u1, ["2025-Q1", "2025-01"])
        self.assertAlmostEqual(values[(self.u1.id, "2025-Q1")], 85.0, msg="scores average")
        team = self.values(kpi, "team", self.north, ["2025-Q1"])
        self.assertAlmostEqual(team[(self.north.id, "2025-Q1")], 70.0)
        with self.assertRaises(ValidationError):
            Value.create({"kpi_id": self.kpis["sales"].id, "month": "2025-01-01", "user_id": self.u1.id, "value": 1})

    def test_custom_source(self):
        model = self.env["ir.model"]._get("sale.order")
        field = self.env["ir.model.fields"]._get

        kpi = self.env["sales.kpi"].create(
            {
                "code": "KPIT_CUSTOM",
                "name": "Orders (custom)",
                "unit": "count",
                "source": "custom",
                "custom_model_id": model.id,
                "custom_domain": "[('state', '=', 'sale')]",
                "custom_date_field_id": field("sale.order", "date_order").id,
                "custom_user_field_id": field("sale.order", "user_id").id,
                "custom_team_field_id": field("sale.order", "team_id").id,
                "custom_aggregate": "count",
            }
        )
        values = self.values(kpi, "user", self.u1, ["2025-03"])
        self.assertEqual(values[(self.u1.id, "2025-03")], 2, "company A only, draft excluded")
        team = self.values(kpi, "team", self.north, ["2025-03"])
        self.assertEqual(team[(self.north.id, "2025-03")], 3)
        kpi.write({"custom_aggregate": "sum", "custom_measure_field_id": field("sale.order", "amount_untaxed").id})
        values = self.values(kpi, "user", self.u1, ["2024"])
        self.assertAlmostEqual(values[(self.u1.id, "2024")], 900)
        with self.assertRaises(ValidationError) as error:
            kpi.write({"custom_domain": "[('no_such_field', '=', 1)]"})
        self.assertIn("domain", str(error.exception))
        with self.assertRaises(ValidationError) as error:
            kpi.write({"custom_date_field_id": field("sale.order", "name").id})
        self.assertIn("date field", str(error.exception))
        with self.assertRaises(ValidationError) as error:
            kpi.write({"custom_user_field_id": field("sale.order", "partner_id").id})
        self.assertIn("user field", str(error.exception))

    def test_users_compute_for_themselves_and_the_teams_they_lead(self):
        kpi = self.kpis["sales"].with_user(self.u2)
        rows = kpi.compute_values("user", [self.u2.id], ["2025-03"])
        self.assertAlmostEqual(rows[0]["value"], 500)
        with self.assertRaises(AccessError):
            kpi.compute_values("user", [self.u1.id], ["2025-03"])
        with self.assertRaises(AccessError):
            kpi.compute_values("team", [self.east.id], ["2025-03"])
        self.north.user_id = self.u2
        rows = kpi.compute_values("team", [self.east.id], ["2025-03"])
        self.assertAlmostEqual(rows[0]["value"], 1260)
        rows = kpi.compute_values("user", [self.u1.id, self.u3.id], ["2025-03"])
        self.assertEqual([r["value"] for r in rows], [760, 0])

    def test_bad_periods_and_owners(self):
        kpi = self.kpis["sales"]
        for periods in (["2025-13"], ["March"], [["2025-01-05", "2025-02-28"]], []):
            with self.assertRaises(UserError):
                kpi.compute_values("user", [self.u1.id], periods)
        with self.assertRaises(UserError):
            kpi.compute_values("customer", [self.u1.id], ["2025"])
        with self.assertRaises(UserError) as error:
            self.env["sales.kpi"].compute_values_by_code(["NOPE"], "user", [self.u1.id], ["2025"])
        self.assertIn("NOPE", str(error.exception))

    def test_query_count_does_not_grow_with_owners(self):
        """5 KPIs for 10 and for 200 salespeople take the same queries, with
        facts for most of them: sales this year, and last year for half of them
        (growth; the others' customers are new), invoices and payments for some."""
        users = self.env["res.users"].create([{"name": f"KPI QC {i}", "login": f"kpi_qc_{i}"} for i in range(200)])
        active = users.filtered(lambda user: user.id % 4)  # 3 in 4 of them, and some of the first 10
        partners = self.env["res.partner"].create([{"name": f"KPI QC customer {i}"} for i in range(len(active))])
        order_vals = []
        for index, (user, partner) in enumerate(zip(active, partners, strict=True)):
            dates = [datetime(2025, index % 12 + 1, 10, 10)]
            if index % 2:  # a customer of last year too: not new this year, and a growth
                dates.append(datetime(2024, (index + 5) % 12 + 1, 10, 10))
            for when in dates:
                order_vals.append(
                    {
                        "partner_id": partner.id,
                        "user_id": user.id,
                        "team_id": self.east.id,
                        "date_order": when,
                        "state": "sale",
                        "order_line": [
                            Command.create(
                                {"product_id": self.p1.id, "product_uom_qty": 1 + index % 3, "tax_id": False}
                            )
                        ],
                    }
                )
        self.env["sale.order"].create(order_vals)
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_user_id": user.id,
                    "team_id": self.east.id,
                    "invoice_date": date(2025, index % 12 + 1, 15),
                    "invoice_line_ids": [
                        Command.create({"product_id": self.p1.id, "quantity": 1, "price_unit": 100, "tax_ids": False})
                    ],
                }
                for index, (user, partner) in enumerate(zip(active[::3], partners[::3], strict=True))
            ]
        )
        invoices.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices[::2].ids
        ).create({"payment_date": date(2025, 12, 20), "group_payment": False})._create_payments()
        self.env["sales.kpi.fact"].rebuild("2024-01-01", "2025-12-31")
        self.env.cr.execute(
            "SELECT COUNT(DISTINCT user_id) FILTER (WHERE amount_sale > 0),"
            " COUNT(DISTINCT user_id) FILTER (WHERE amount_paid > 0)"
            " FROM sales_kpi_fact_user WHERE user_id = ANY(%s)",
            [users.ids],
        )
        with_sales, with_payments = self.env.cr.fetchone()
        self.assertEqual(with_sales, len(active))
        self.assertGreater(with_payments, 20)
        self.assertTrue(active & users[:10])
        kpis = (
            self.kpis["sales"]
            | self.kpis["invoiced"]
            | self.kpis["collection_rate"]
            | self.kpis["new_customers"]
            | self.kpis["growth"]
        )
        periods = [f"2025-{m:02d}" for m in range(1, 13)]
        kpis.compute_values("user", users[:10].ids, periods)  # warm caches

        def count_queries(owner_ids):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            kpis.compute_values("user", owner_ids, periods)
            return self.cr.sql_log_count - before

        self.assertEqual(count_queries(users[:10].ids), count_queries(users.ids))
        self.env.invalidate_all()
        with self.assertQueryCount(9):  # 6 fact queries (growth reads two years) + KPIs, company, currency
            rows = kpis.compute_values("user", users.ids, periods)
        for kpi, owners in ((self.kpis["sales"], active), (self.kpis["new_customers"], active[::2])):
            valued = {row["owner_id"] for row in rows if row["kpi_id"] == kpi.id and row["value"]}
            self.assertEqual(valued, set(owners.ids), kpi.code)
        valued = {row["owner_id"] for row in rows if row["kpi_id"] == self.kpis["collection_rate"].id and row["value"]}
        self.assertEqual(len(valued), with_payments)
