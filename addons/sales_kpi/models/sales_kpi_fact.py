# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging
import re
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

WATERMARK_PARAM = "sales_kpi.fact_watermark"
# Documents committed by transactions that started before a refresh but
# committed after it are caught by re-reading this much before the watermark
# (a refresh is idempotent, so the overlap costs time, not correctness).
WATERMARK_OVERLAP = timedelta(minutes=10)
# One refresh of the facts at a time: the key of its advisory lock, and the
# parameter each refresh stamps when it starts (see ``_lock_refresh``).
REFRESH_LOCK = (0x5A1E, 1)
REFRESH_PARAM = "sales_kpi.fact_refresh_started"


# The roll-ups the KPI queries read, written with the facts, in the same
# statement as each source, from the source's grouped rows: (table, key,
# measures). They are small (by salesperson and month): their keys stay in
# place during a full rebuild. The customer KPIs read the facts themselves,
# their order-level rows (no category, orders counted).
ROLLUPS = (
    (
        "sales_kpi_fact_user",
        ("company_id", "month", "team_id", "user_id"),
        (
            "amount_sale",
            "amount_list",
            "qty_sale",
            "order_count",
            "amount_invoiced",
            "qty_invoiced",
            "amount_receivable",
            "amount_paid",
        ),
    ),
)

# The confirmed orders of the chunk's months, with their customer: ``o``, ``p``.
CONFIRMED_ORDERS = """
              FROM sale_order o
              JOIN res_partner p ON p.id = o.partner_id
             WHERE o.state = 'sale'
               AND o.date_order >= %(start)s AND o.date_order < %(stop)s
               AND o.company_id = ANY(%(company_set)s)
               AND (%(full)s OR (o.company_id, date_trunc('month', o.date_order)::date)
                    IN (SELECT company_id, month FROM km))
"""

# Measures counted once per order or invoice: they sit on facts without a
# category, so that summing over categories never counts a document twice.
ORDER_LEVEL_MEASURES = frozenset(("order_count", "amount_receivable", "amount_paid"))
# GROUP BY order of the keys: the most distinct first, so that sorting (or
# hashing) the rows mostly compares one column.
GROUP_ORDER = ("partner_id", "user_id", "month", "categ_id", "team_id", "company_id")


class SalesKpiFact(models.Model):
    """Monthly sales facts: one row per company, month, team, salesperson,
    commercial customer and product category.

    The table is owned by the addon (``_auto = False``, created in ``init``):
    rows are only ever written by the set-based refresh below, never through
    the ORM, so the model carries no ``create_uid``/``write_date`` columns and
    its unique key can treat empty team/salesperson/category as equal
    (``NULLS NOT DISTINCT``), which ``ON CONFLICT DO UPDATE`` needs.
    Order-level and invoice-level measures (order count, receivable, paid)
    live on rows whose category is empty, so that summing over categories
    never counts an order twice.
    """

    _name = "sales.kpi.fact"
    _description = "Sales KPI Monthly Fact"
    _auto = False
    _order = "month desc, id"
    _rec_name = "month"

    company_id = fields.Many2one("res.company", readonly=True)
    month = fields.Date(readonly=True, help="First day of the month (UTC dates of the documents).")
    team_id = fields.Many2one("crm.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_sale = fields.Monetary(
        string="Confirmed Sales",
        readonly=True,
        help="Untaxed amount of confirmed sales order lines, in company currency.",
    )
    amount_list = fields.Monetary(
        string="List Value",
        readonly=True,
        help="Ordered quantity valued at the product's list price (company currency).",
    )
    qty_sale = fields.Float(string="Units Sold", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    amount_invoiced = fields.Monetary(
        string="Invoiced Revenue",
        readonly=True,
        help="Untaxed revenue of posted customer invoices minus credit notes, in company currency.",
    )
    qty_invoiced = fields.Float(string="Units Invoiced", readonly=True)
    amount_receivable = fields.Monetary(
        string="Invoiced Receivable",
        readonly=True,
        help="Total (taxes included) of posted invoices minus credit notes, by invoice date.",
    )
    amount_paid = fields.Monetary(
        string="Paid",
        readonly=True,
        help="Payments reconciled with customer invoices, by reconciliation date.",
    )

    # In the order of the unique key: month first (the refresh empties and the
    # targets report reads whole months), then the most distinct column, so
    # that building the key after a full rebuild mostly compares two columns.
    KEYS = ("month", "partner_id", "categ_id", "user_id", "team_id", "company_id")

    def init(self):
        cr = self.env.cr
        cr.execute(
            """
            CREATE TABLE IF NOT EXISTS sales_kpi_fact (
                id bigserial PRIMARY KEY,
                company_id integer NOT NULL,
                month date NOT NULL,
                team_id integer,
                user_id integer,
                partner_id integer,
                categ_id integer,
                amount_sale numeric NOT NULL DEFAULT 0,
                amount_list numeric NOT NULL DEFAULT 0,
                qty_sale numeric NOT NULL DEFAULT 0,
                order_count integer NOT NULL DEFAULT 0,
                amount_invoiced numeric NOT NULL DEFAULT 0,
                qty_invoiced numeric NOT NULL DEFAULT 0,
                amount_receivable numeric NOT NULL DEFAULT 0,
                amount_paid numeric NOT NULL DEFAULT 0
            )
            """
        )
        # The roll-up of the facts by salesperson and month, refreshed with
        # them, that the KPI queries read.
        for table, keys, measures in ROLLUPS:
            columns = SQL(", ").join(
                [SQL("%s integer", SQL.identifier(key)) for key in keys if key != "month"]
                + [SQL("month date NOT NULL")]
                + [SQL("%s numeric NOT NULL DEFAULT 0", SQL.identifier(measure)) for measure in measures]
            )
            cr.execute(SQL("CREATE TABLE IF NOT EXISTS %s (%s)", SQL.identifier(table), columns))
        # months a confirmed order or a customer invoice left (its date or company
        # changed): the incremental refresh recomputes them (_queue_stale_months)
        cr.execute("CREATE TABLE IF NOT EXISTS sales_kpi_fact_stale (company_id integer NOT NULL, month date NOT NULL)")
        # the targets-vs-actuals report reads a member's months
        cr.execute("CREATE INDEX IF NOT EXISTS sales_kpi_fact_user_user_idx ON sales_kpi_fact_user (user_id, month)")
        self._create_key_indexes()

    def _key_tables(self):
        """``[(table, unique key columns)]`` of the fact table and its roll-ups."""
        return [("sales_kpi_fact", self.KEYS)] + [(table, keys) for table, keys, _measures in ROLLUPS]

    def _create_key_indexes(self, tables=None, primary_keys=False):
        """The unique keys (``NULLS NOT DISTINCT``) of the fact table and its
        roll-ups (default: all), and the facts' primary key when asked (the
        roll-ups have none): a full rebuild drops them and builds them again
        after the bulk load."""
        for table, keys in self._key_tables():
            if tables is not None and table not in tables:
                continue
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (%s) NULLS NOT DISTINCT",
                    SQL.identifier(f"{table}_key_uniq"),
                    SQL.identifier(table),
                    SQL(", ").join(SQL.identifier(key) for key in keys),
                )
            )
            if primary_keys and table == "sales_kpi_fact":
                self.env.cr.execute(
                    SQL(
                        "ALTER TABLE %s ADD CONSTRAINT %s PRIMARY KEY (id)",
                        SQL.identifier(table),
                        SQL.identifier(f"{table}_pkey"),
                    )
                )

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------
    @api.model
    def rebuild(self, date_from, date_to, company_ids=None):
        """Recompute every fact of the months between ``date_from`` and
        ``date_to`` (inclusive, any day of the month) for the given companies
        (default: all). Idempotent. Returns the number of fact rows written."""
        self._check_refresh_rights()
        try:
            date_from = fields.Date.to_date(date_from)
            date_to = fields.Date.to_date(date_to)
        except (ValueError, TypeError):
            raise UserError(
                self.env._(
                    "Give the start and end dates (date_from, date_to) written YYYY-MM-DD, not %(from)r and %(to)r.",
                    **{"from": date_from, "to": date_to},
                )
            ) from None
        if not date_from or not date_to or date_from > date_to:
            raise UserError(self.env._("Give a start date on or before the end date to rebuild the facts."))
        self._lock_refresh(raise_if_busy=True)
        companies = (
            self.env["res.company"].sudo().browse(company_ids).exists()
            if company_ids
            else self.env["res.company"].sudo().search([("active", "in", (True, False))])
        )
        months = []
        month = date_from.replace(day=1)
        while month <= date_to:
            months.append(month)
            month += relativedelta(months=1)
        pairs = [(company.id, m) for company in companies for m in months]
        return self._refresh_pairs(pairs)

    @api.model
    def refresh(self):
        """Incremental refresh from the watermark: recompute the months of
        every order, invoice or payment written since the last run, for every
        salesperson (logged in or not). The first run rebuilds everything."""
        self._check_refresh_rights()
        self._lock_refresh(raise_if_busy=True)
        return self._refresh_since_watermark()

    @api.model
    def _cron_refresh(self, months=None):
        """The incremental refresh, one chunk of months per call (``months``,
        default the ``sales_kpi.fact_chunk_months`` parameter, 12). A call
        that finds the queue of stale months empty first queues every month
        changed since the watermark and moves the watermark on; each call then
        refreshes the oldest chunk of the queue and takes it off, in one
        transaction. Odoo's cron runner, told what remains (progress API),
        commits and calls again until the queue is empty; a run cut short
        loses only its own chunk, which the next run does again, and changes
        made meanwhile wait for the queue to drain. The targets' actuals are
        refreshed once it is empty."""
        if not self._lock_refresh():
            _logger.info("sales_kpi facts: another refresh is running, this run is skipped")
            return
        cr = self.env.cr
        icp = self.env["ir.config_parameter"].sudo()
        self.env.flush_all()
        cr.execute("SELECT 1 FROM sales_kpi_fact_stale LIMIT 1")
        if not cr.fetchone():
            cr.execute("SELECT now() AT TIME ZONE 'UTC'")
            started = cr.fetchone()[0]
            watermark = icp.get_param(WATERMARK_PARAM)
            if watermark:
                pairs = self._changed_pairs(fields.Datetime.to_datetime(watermark) - WATERMARK_OVERLAP)
            else:
                pairs = self._all_pairs()
            self._queue_stale_months(sorted({(c, m) for c, m in pairs if c and m}))
            icp.set_param(WATERMARK_PARAM, fields.Datetime.to_string(started))
        months = months or int(icp.get_param("sales_kpi.fact_chunk_months", "12") or 12)
        cr.execute(
            SQL(
                """
                DELETE FROM sales_kpi_fact_stale
                 WHERE month IN (SELECT DISTINCT month FROM sales_kpi_fact_stale ORDER BY month LIMIT %s)
                RETURNING company_id, month
                """,
                months,
            )
        )
        chunk = cr.fetchall()
        self._refresh_pairs(chunk)
        cr.execute("SELECT count(DISTINCT month) FROM sales_kpi_fact_stale")
        remaining = cr.fetchone()[0]
        done = len({m for _c, m in chunk})
        if chunk:
            _logger.info("sales_kpi facts: the cron refreshed %d months, %d months queued", done, remaining)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if not remaining:
            self.env["sales.kpi.target.plan"]._cron_refresh_actuals()

    @api.model
    def _refresh_since_watermark(self):
        """``refresh()`` once the caller holds the refresh lock."""
        icp = self.env["ir.config_parameter"].sudo()
        self.env.flush_all()
        self.env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        started = self.env.cr.fetchone()[0]
        watermark = icp.get_param(WATERMARK_PARAM)
        if watermark:
            since = fields.Datetime.to_datetime(watermark) - WATERMARK_OVERLAP
            pairs = self._changed_pairs(since)
        else:
            pairs = self._all_pairs()
        written = self._refresh_pairs(pairs)
        icp.set_param(WATERMARK_PARAM, fields.Datetime.to_string(started))
        return written

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _lock_refresh(self, raise_if_busy=False):
        """Let one refresh of the facts run at a time, until this transaction
        ends: two refreshes of the same months would fail on each other's rows
        (or a full rebuild would truncate what the other just wrote).

        Returns False when another refresh is running (or raises with
        ``raise_if_busy``). Once locked, stamps the start of this refresh on a
        parameter: when another refresh committed after this transaction took
        its snapshot, the stamp fails with a serialization error, which Odoo
        retries, instead of this refresh working on what it cannot see."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", *REFRESH_LOCK))
        if not cr.fetchone()[0]:
            if raise_if_busy:
                raise UserError(
                    self.env._("The sales facts are being refreshed by another job. Try again when it has finished.")
                )
            return False
        icp = self.env["ir.config_parameter"].sudo()
        icp.set_param(REFRESH_PARAM, fields.Datetime.to_string(fields.Datetime.now()))
        icp.flush_model()
        return True

    def _check_refresh_rights(self):
        if not self.env.su and not self.env.user.has_group("sales_kpi.group_sales_kpi_manager"):
            raise UserError(self.env._("Only KPI managers can refresh the sales facts."))

    def _all_pairs(self):
        self.env.cr.execute(
            """
            SELECT company_id, date_trunc('month', date_order)::date FROM sale_order
             WHERE state = 'sale' AND date_order IS NOT NULL
            UNION
            SELECT company_id, date_trunc('month', invoice_date)::date FROM account_move
             WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund') AND invoice_date IS NOT NULL
            UNION
            SELECT company_id, date_trunc('month', max_date)::date FROM account_partial_reconcile
            UNION
            SELECT company_id, month FROM sales_kpi_fact
            """
        )
        return self.env.cr.fetchall()

    @api.model
    def _queue_stale_months(self, pairs):
        """Queue (company id, first of month) pairs for the next incremental refresh:
        the months that documents leave when they are re-dated or move to another
        company (the refresh finds the months they enter by their write date)."""
        if pairs:
            self.env.cr.execute(
                SQL(
                    "INSERT INTO sales_kpi_fact_stale (company_id, month) SELECT * FROM unnest(%s::int[], %s::date[])",
                    [company for company, _month in pairs],
                    [month for _company, month in pairs],
                )
            )

    def _changed_pairs(self, since):
        self.env.cr.execute(
            SQL(
                """
                SELECT company_id, date_trunc('month', date_order)::date FROM sale_order
                 WHERE write_date >= %(since)s AND date_order IS NOT NULL
                UNION
                SELECT o.company_id, date_trunc('month', o.date_order)::date
                  FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id
                 WHERE l.write_date >= %(since)s AND o.date_order IS NOT NULL
                UNION
                SELECT company_id, date_trunc('month', invoice_date)::date FROM account_move
                 WHERE write_date >= %(since)s AND invoice_date IS NOT NULL
                   AND move_type IN ('out_invoice', 'out_refund')
                UNION
                SELECT company_id, date_trunc('month', date)::date FROM account_move_line
                 WHERE write_date >= %(since)s
                UNION
                SELECT company_id, date_trunc('month', max_date)::date FROM account_partial_reconcile
                 WHERE write_date >= %(since)s
                UNION
                SELECT company_id, month FROM sales_kpi_fact_stale
                """,
                since=since,
            )
        )
        pairs = self.env.cr.fetchall()
        # recomputed by this refresh, in this transaction (the refresh lock is held)
        self.env.cr.execute("DELETE FROM sales_kpi_fact_stale")
        return pairs

    def _refresh_pairs(self, pairs):
        """Recompute the facts of the given (company id, first of month) pairs,
        chunk of months by chunk of months (``_refresh_chunk``: the chunk
        emptied, then one statement per source). Returns the number of rows
        written. The caller holds the refresh lock (``_lock_refresh``)."""
        pairs = sorted({(c, m if isinstance(m, date) else fields.Date.to_date(m)) for c, m in pairs if c and m})
        if not pairs:
            _logger.info("sales_kpi facts: nothing to refresh")
            return 0
        self.env.flush_all()
        # The refresh aggregates up to a million rows in one statement: give it
        # the memory to hash them instead of spilling to disk (this transaction only).
        work_mem = self.env["ir.config_parameter"].sudo().get_param("sales_kpi.fact_work_mem", "256MB")
        if re.fullmatch(r"\d{1,6}(kB|MB|GB)", work_mem or ""):
            self.env.cr.execute(SQL("SELECT set_config('work_mem', %s, true)", work_mem))
        # JIT compiling these few big statements costs more than it saves.
        self.env.cr.execute("SELECT set_config('jit', 'off', true)")
        chunk_months = int(self.env["ir.config_parameter"].sudo().get_param("sales_kpi.fact_chunk_months", "12") or 12)
        months = sorted({m for _c, m in pairs})
        total = 0
        for index in range(0, len(months), chunk_months):
            chunk = set(months[index : index + chunk_months])
            chunk_pairs = [(c, m) for c, m in pairs if m in chunk]
            written = self._refresh_chunk(chunk_pairs)
            total += written
            _logger.info(
                "sales_kpi facts: refreshed %d company-months from %s to %s: %d rows (%d/%d months)",
                len(chunk_pairs),
                min(chunk),
                max(chunk),
                written,
                min(index + chunk_months, len(months)),
                len(months),
            )
        self.invalidate_model()
        return total

    def _refresh_chunk(self, pairs):
        """Empty the chunk's (company, month) pairs, then write their facts
        and roll-ups, one statement per source (``_refresh_statement``): the
        first source into the facts with a plain ``INSERT ... SELECT`` (the
        months are empty and a source is grouped on the key, so it cannot
        conflict), the next ones with ``ON CONFLICT DO UPDATE``; the roll-ups
        with plain inserts only (see below).

        When the chunk holds nearly all the rows of the tables (a full
        rebuild), they are truncated (the few rows outside the chunk are kept
        aside and put back), the facts' unique and primary keys are built
        after the bulk load instead of being maintained row by row, and the
        facts of plain inserts are numbered from one sequence call; the
        first order-level source (its rows have no category) is then written
        into the facts with a plain ``INSERT`` too when the chunk holds no row
        without a category yet (the fact key is built before the first
        upsert)."""
        cr = self.env.cr
        companies = [c for c, _m in pairs]
        months = [m for _c, m in pairs]
        company_set = sorted(set(companies))
        month_set = set(months)
        first, last = min(months), max(months)
        span = (last.year - first.year) * 12 + last.month - first.month + 1
        params = {
            "full": len(month_set) == span and len(pairs) == len(company_set) * span,
            "company_set": company_set,
            "companies": companies,
            "months": months,
            "start": min(months),
            "stop": datetime.combine(max(months) + relativedelta(months=1), datetime.min.time()),
            "stop_date": max(months) + relativedelta(months=1),
        }
        if params["full"]:
            # every month of the range for every company: a plain range test
            in_chunk = SQL(
                "(month >= %(start)s AND month < %(stop_date)s AND company_id = ANY(%(company_set)s))", **params
            )
        else:
            in_chunk = SQL(
                "(company_id, month) IN (SELECT * FROM unnest(%(companies)s::int[], %(months)s::date[]))", **params
            )
        truncated = self._empty_chunk(in_chunk, params)
        sources = self._refresh_sources()
        # Every source's rows of a roll-up are collected in a temporary table,
        # summed into the roll-up at the end (a plain insert each time: its months
        # are empty, and summing beats updating the same rows source after source).
        for table, _keys, _measures in ROLLUPS:
            cr.execute(
                SQL(
                    "CREATE TEMP TABLE %s (LIKE %s INCLUDING DEFAULTS) ON COMMIT DROP",
                    SQL.identifier(f"{table}_part"),
                    SQL.identifier(table),
                )
            )
        fact_keyed = not truncated
        fact_written = False
        written = 0
        for source, measures in sources:
            order_level = ORDER_LEVEL_MEASURES.issuperset(measures)
            # The chunk's months are empty and a source is grouped on the key:
            # the first source cannot conflict. Nor can order-level rows (no
            # category) while the chunk holds none yet.
            plain = not fact_written or (
                not fact_keyed and order_level and not self._has_order_level_rows(in_chunk, params)
            )
            if not plain and not fact_keyed:
                self._create_key_indexes(["sales_kpi_fact"])
                fact_keyed = True
            rollups = []
            for table, keys, rollup_measures in ROLLUPS:
                rollup_measures = [m for m in measures if m in rollup_measures]
                if rollup_measures:
                    rollups.append((f"{table}_part", keys, rollup_measures))
            if plain and truncated:
                # The tables are locked (TRUNCATE): number the rows from the
                # sequence in one call instead of one call per row.
                cr.execute(SQL("SELECT nextval(pg_get_serial_sequence('sales_kpi_fact', 'id'))"))
                first_id = cr.fetchone()[0]
                ids = {"id_column": SQL("id,"), "id_value": SQL("%s + row_number() OVER () - 1,", first_id)}
            else:
                ids = {"id_column": SQL(), "id_value": SQL()}
            cr.execute(SQL(self._refresh_statement(source, measures, plain, rollups), **params, **ids))
            rows = cr.rowcount
            if plain and truncated and rows > 1:
                cr.execute(
                    SQL("SELECT setval(pg_get_serial_sequence('sales_kpi_fact', 'id'), %s)", first_id + rows - 1)
                )
            written += rows
            fact_written = True
        for table, keys, measures in ROLLUPS:
            cr.execute(
                SQL(
                    "INSERT INTO %(table)s (%(keys)s, %(measures)s) SELECT %(keys)s, %(sums)s FROM %(part)s"
                    " GROUP BY %(group_by)s",
                    table=SQL.identifier(table),
                    part=SQL.identifier(f"{table}_part"),
                    keys=SQL(", ").join(SQL.identifier(key) for key in keys),
                    measures=SQL(", ").join(SQL.identifier(m) for m in measures),
                    sums=SQL(", ").join(SQL("SUM(%s)", SQL.identifier(m)) for m in measures),
                    group_by=SQL(", ").join(SQL.identifier(key) for key in sorted(keys, key=GROUP_ORDER.index)),
                )
            )
            cr.execute(SQL("DROP TABLE %s", SQL.identifier(f"{table}_part")))
        if truncated:
            self._create_key_indexes(["sales_kpi_fact"], primary_keys=True)
        return written

    def _has_order_level_rows(self, in_chunk, params):
        """Whether the chunk already holds facts without a category (where
        order-level measures live)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT EXISTS (SELECT 1 FROM sales_kpi_fact
                                WHERE categ_id IS NULL AND month >= %(start)s AND month < %(stop_date)s
                                  AND %(in_chunk)s)
                """,
                in_chunk=in_chunk,
                **params,
            )
        )
        return self.env.cr.fetchone()[0]

    def _empty_chunk(self, in_chunk, params):
        """Delete the chunk's rows from the fact table and its roll-ups.
        Returns True when the tables were truncated instead (the chunk holds
        nine rows in ten or more of the fact table; the others are put back,
        ids included) and the facts' unique and primary keys dropped: the
        caller builds them after the load (``_create_key_indexes``).
        ``TRUNCATE`` locks the tables until the end of the transaction."""
        cr = self.env.cr
        tables = [table for table, _keys in self._key_tables()]
        cr.execute(
            SQL(
                "SELECT count(*) FILTER (WHERE %(in_chunk)s), count(*) FILTER (WHERE %(in_chunk)s IS NOT TRUE)"
                " FROM sales_kpi_fact",
                in_chunk=in_chunk,
            )
        )
        inside, outside = cr.fetchone()
        if outside * 10 > inside:
            for table in tables:
                cr.execute(
                    SQL(
                        """
                        DELETE FROM %(table)s f
                         USING unnest(%(companies)s::int[], %(months)s::date[]) AS km(company_id, month)
                         WHERE f.company_id = km.company_id AND f.month = km.month
                        """,
                        table=SQL.identifier(table),
                        **params,
                    )
                )
            return False
        # the roll-ups are made of the facts: no fact outside, no roll-up row either
        kept = tables if outside else []
        for table in kept:
            cr.execute(
                SQL(
                    "CREATE TEMP TABLE %s ON COMMIT DROP AS SELECT * FROM %s WHERE %s IS NOT TRUE",
                    SQL.identifier(f"{table}_keep"),
                    SQL.identifier(table),
                    in_chunk,
                )
            )
        cr.execute(SQL("TRUNCATE %s", SQL(", ").join(SQL.identifier(table) for table in tables)))
        cr.execute("DROP INDEX sales_kpi_fact_key_uniq")
        cr.execute("ALTER TABLE sales_kpi_fact DROP CONSTRAINT sales_kpi_fact_pkey")
        for table in kept:
            cr.execute(
                SQL(
                    "INSERT INTO %s SELECT * FROM %s",
                    SQL.identifier(table),
                    SQL.identifier(f"{table}_keep"),
                )
            )
            cr.execute(SQL("DROP TABLE %s", SQL.identifier(f"{table}_keep")))
        maintenance_work_mem = (
            self.env["ir.config_parameter"].sudo().get_param("sales_kpi.fact_maintenance_work_mem", "256MB")
        )
        if re.fullmatch(r"\d{1,6}(kB|MB|GB)", maintenance_work_mem or ""):
            cr.execute(SQL("SELECT set_config('maintenance_work_mem', %s, true)", maintenance_work_mem))
        return True

    @api.model
    def _refresh_statement(self, source, measures, plain, rollups):
        """One statement writing a fact source (a CTE named ``src``, grouped
        on the fact key) into the facts, with a plain ``INSERT`` (``plain``:
        nothing to conflict with) or ``ON CONFLICT DO UPDATE`` (adds the
        measures), and into the roll-ups, in data-modifying CTEs of the same
        statement, from the source's rows grouped on the roll-up's key rather
        than from the whole fact table: ``rollups`` is ``[(table, key,
        measures)]``. The statement's row count is the facts' rows. ``%(id_column)s`` and
        ``%(id_value)s`` give the facts' ids (empty: the column default)."""
        ctes = [
            """
        WITH km AS (
            SELECT * FROM unnest(%(companies)s::int[], %(months)s::date[]) AS km(company_id, month)
        ),"""
            + source
        ]
        for index, (table, keys, rollup_measures) in enumerate(rollups):
            select = (
                f"SELECT {', '.join(keys)}, {', '.join(f'SUM({m})' for m in rollup_measures)} FROM src"
                f" GROUP BY {', '.join(sorted(keys, key=GROUP_ORDER.index))}"
            )
            ctes.append(
                f"rollup_{index} AS (\n"
                f"            INSERT INTO {table} ({', '.join((*keys, *rollup_measures))})\n"
                f"            {select}\n        )"
            )
        columns = ", ".join((*self.KEYS, *measures))
        statement = (
            ",\n".join(ctes)
            + f"\n        INSERT INTO sales_kpi_fact (%(id_column)s {columns})\n"
            + f"        SELECT %(id_value)s {columns} FROM src"
        )
        if not plain:
            updates = ", ".join(f"{m} = sales_kpi_fact.{m} + EXCLUDED.{m}" for m in measures)
            statement += f"\n        ON CONFLICT ({', '.join(self.KEYS)}) DO UPDATE SET {updates}"
        return statement

    @api.model
    def _refresh_sources(self):
        """``[(CTE named src, measures)]`` of the fact sources; extension point."""
        return [
            (
                """
        src AS (
            -- The orders (with their month, customer and rate) and the products
            -- are resolved first (OFFSET 0 keeps them apart): each line then
            -- needs one lookup into each instead of six joins.
            SELECT o.company_id, o.month, o.team_id, o.user_id, o.partner_id, pr.categ_id,
                   SUM(CASE WHEN o.rate IS NULL THEN l.price_subtotal ELSE l.price_subtotal / o.rate END)
                       AS amount_sale,
                   SUM(q.qty * COALESCE(pr.list_price, 0)) AS amount_list,
                   SUM(q.qty) AS qty_sale
              FROM sale_order_line l
              JOIN (
                  SELECT o.id, o.company_id, date_trunc('month', o.date_order)::date AS month, o.team_id,
                         o.user_id, p.commercial_partner_id AS partner_id,
                         CASE WHEN o.currency_rate IS NULL OR o.currency_rate IN (0, 1) THEN NULL
                              ELSE o.currency_rate END AS rate
                    """
                + CONFIRMED_ORDERS
                + """
                  OFFSET 0
              ) o ON o.id = l.order_id
              LEFT JOIN (
                  SELECT pp.id, pt.categ_id, pt.list_price, pt.uom_id
                    FROM product_product pp
                    JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  OFFSET 0
              ) pr ON pr.id = l.product_id
              CROSS JOIN LATERAL (
                  -- quantity in the product's unit of measure (units looked up
                  -- only for the lines sold in another unit)
                  SELECT CASE WHEN l.product_uom = pr.uom_id OR l.product_uom IS NULL OR pr.uom_id IS NULL
                              THEN l.product_uom_qty
                              ELSE COALESCE(
                                  (SELECT l.product_uom_qty / COALESCE(NULLIF(lu.factor, 0), 1.0)
                                          * COALESCE((SELECT pu.factor FROM uom_uom pu WHERE pu.id = pr.uom_id), 1.0)
                                     FROM uom_uom lu
                                    WHERE lu.id = l.product_uom),
                                  l.product_uom_qty)
                         END AS qty
              ) q
             WHERE l.display_type IS NULL
             GROUP BY 5, 2, 6, 4, 3, 1
        )""",
                ["amount_sale", "amount_list", "qty_sale"],
            ),
            (
                """
        src AS (
            SELECT o.company_id, date_trunc('month', o.date_order)::date AS month, o.team_id,
                   o.user_id, p.commercial_partner_id AS partner_id, NULL::integer AS categ_id,
                   COUNT(*) AS order_count
              """
                + CONFIRMED_ORDERS
                + """
             GROUP BY 5, 2, 4, 3, 1
        )""",
                ["order_count"],
            ),
            (
                """
        src AS (
            SELECT m.company_id, date_trunc('month', m.invoice_date)::date AS month, m.team_id,
                   m.invoice_user_id AS user_id, m.commercial_partner_id AS partner_id, pt.categ_id,
                   -SUM(aml.balance) AS amount_invoiced,
                   SUM(CASE WHEN m.move_type = 'out_refund' THEN -aml.quantity ELSE aml.quantity END)
                       AS qty_invoiced
              FROM account_move_line aml
              JOIN account_move m ON m.id = aml.move_id
              LEFT JOIN product_product pp ON pp.id = aml.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
               AND aml.display_type = 'product'
               AND m.invoice_date >= %(start)s AND m.invoice_date < %(stop_date)s
               AND m.company_id = ANY(%(company_set)s)
               AND (%(full)s OR (m.company_id, date_trunc('month', m.invoice_date)::date)
                    IN (SELECT company_id, month FROM km))
             GROUP BY 5, 2, 6, 4, 3, 1
        )""",
                ["amount_invoiced", "qty_invoiced"],
            ),
            (
                """
        src AS (
            SELECT m.company_id, date_trunc('month', m.invoice_date)::date AS month, m.team_id,
                   m.invoice_user_id AS user_id, m.commercial_partner_id AS partner_id,
                   NULL::integer AS categ_id, SUM(m.amount_total_signed) AS amount_receivable
              FROM account_move m
             WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.invoice_date >= %(start)s AND m.invoice_date < %(stop_date)s
               AND m.company_id = ANY(%(company_set)s)
               AND (%(full)s OR (m.company_id, date_trunc('month', m.invoice_date)::date)
                    IN (SELECT company_id, month FROM km))
             GROUP BY 5, 2, 4, 3, 1
        )""",
                ["amount_receivable"],
            ),
            (
                """
        src AS (
            SELECT m.company_id, date_trunc('month', apr.max_date)::date AS month, m.team_id,
                   m.invoice_user_id AS user_id, m.commercial_partner_id AS partner_id,
                   NULL::integer AS categ_id, SUM(apr.amount) AS amount_paid
              FROM account_partial_reconcile apr
              JOIN account_move_line dl ON dl.id = apr.debit_move_id
              JOIN account_move m ON m.id = dl.move_id
              JOIN account_move_line cl ON cl.id = apr.credit_move_id
              JOIN account_move cm ON cm.id = cl.move_id
             WHERE m.state = 'posted' AND m.move_type = 'out_invoice'
               AND cm.move_type NOT IN ('out_invoice', 'out_refund')
               AND apr.max_date >= %(start)s AND apr.max_date < %(stop_date)s
               AND m.company_id = ANY(%(company_set)s)
               AND (%(full)s OR (m.company_id, date_trunc('month', apr.max_date)::date)
                    IN (SELECT company_id, month FROM km))
             GROUP BY 5, 2, 4, 3, 1
        )""",
                ["amount_paid"],
            ),
        ]
