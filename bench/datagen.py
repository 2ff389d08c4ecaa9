#!/usr/bin/env python3
"""Set-based generator of sales data for benchmarks (PostgreSQL ``INSERT ... SELECT generate_series``).

It writes straight into an Odoo 18 database that has ``sales_team_mgmt`` installed
(and so ``sale_management``, ``crm``; ``sale_stock`` is optional: its columns are
filled when present): a sales-team tree of N teams in L levels,
internal users (salespeople and team leaders), customers, and sale orders with
lines. Nothing goes through the ORM, so a million orders take minutes, not hours;
every row is tagged so that a second run adds to the first without collisions.

Use it from the command line::

    python3 bench/datagen.py --db stm_bench --teams 2000 --levels 5 --users 2000 \\
        --customers 50000 --orders 1000000 --lines 1

or from Python (other benchmarks reuse it)::

    from datagen import DataGen
    with DataGen.connect("stm_bench") as gen:
        teams = gen.teams(2000, levels=5)          # -> {"roots": [...], "levels": [[ids], ...]}
        users = gen.users(2000, leaders_of=teams)  # salespeople, one leader per team
        customers = gen.customers(50000)
        gen.orders(1000000, customers=customers, users=users, lines=1)
        gen.analyze()

Conventions of the generated data:
- teams: level 1 are the roots (``team_type`` market), then region, unit, unit...;
  level sizes grow geometrically and each team's parent is spread evenly over
  the level above; ``parent_path`` and ``complete_name`` are computed in SQL
  exactly as the ORM would (``_parent_store``).
- users: internal users in ``base.group_user`` + ``sales_team.group_sale_salesman``
  (leaders also get ``sales_team_mgmt.group_sales_team_mgmt_hierarchy``), no
  password; each is a current member of one leaf team; team ``i`` is led by a user.
- orders: dates spread over the last ``--days`` days, salesperson and team from
  the user's membership, one product, states ``sale`` (80%) / ``draft``; amounts
  consistent with the lines (no tax).
Connection parameters come from ``PGHOST``/``PGPORT``/``PGUSER``/``PGPASSWORD``
(defaults: the project cluster 127.0.0.1:55432, odoo/odoo).
"""

import argparse
import contextlib
import os
import time
import uuid

import psycopg2
from psycopg2 import sql
from psycopg2.extras import Json


def _level_sizes(total, levels, roots):
    """Sizes of each level: ``roots`` on top, the rest growing geometrically, summing to ``total``."""
    if levels == 1:
        return [total]
    # each level at least as wide as the one above it
    if total < roots * levels:
        raise SystemExit(
            f"{total} teams cannot fill {levels} levels under {roots} roots: give at least {roots * levels}"
        )
    rest = total - roots
    # Solve sum(roots * r**k, k=1..levels-1) ~= rest for the ratio r.
    lo, hi = 1.0, 1000.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if sum(roots * mid**k for k in range(1, levels)) < rest:
            lo = mid
        else:
            hi = mid
    sizes = [roots] + [max(1, round(roots * lo**k)) for k in range(1, levels)]
    sizes[-1] += total - sum(sizes)
    return sizes


class DataGen:
    """Set-based data generator on one PostgreSQL connection (one transaction per call)."""

    def __init__(self, cr, tag=None, log=print):
        self.cr = cr
        self.tag = tag or uuid.uuid4().hex[:6]
        self.log = log
        installed = self._scalar("SELECT 1 FROM pg_tables WHERE tablename = 'ir_module_module'") and self._scalar(
            "SELECT state FROM ir_module_module WHERE name = 'sales_team_mgmt'"
        )
        if installed != "installed":
            raise SystemExit(
                "datagen needs an Odoo 18 database with sales_team_mgmt installed"
                " (python3 -m odoo -c odoo.conf -d <db> -i sales_team_mgmt --stop-after-init);"
                " stock (sale_stock) is optional: its columns are filled when present."
            )
        self.company_id = self._scalar("SELECT id FROM res_company ORDER BY id LIMIT 1")
        self.currency_id = self._scalar("SELECT currency_id FROM res_company WHERE id = %s", [self.company_id])
        self.root_uid = 1

    @classmethod
    @contextlib.contextmanager
    def connect(cls, db, tag=None, log=print):
        conn = psycopg2.connect(
            dbname=db,
            host=os.environ.get("PGHOST", "127.0.0.1"),
            port=os.environ.get("PGPORT", "55432"),
            user=os.environ.get("PGUSER", "odoo"),
            password=os.environ.get("PGPASSWORD", "odoo"),
        )
        try:
            with conn.cursor() as cr:
                yield cls(cr, tag=tag, log=log)
            conn.commit()
        except Exception:
            conn.rollback()
            raise
        finally:
            conn.close()

    # ------------------------------------------------------------------ helpers
    def _scalar(self, query, params=None):
        self.cr.execute(query, params or [])
        row = self.cr.fetchone()
        return row[0] if row else None

    def _columns(self, table, wanted):
        """The columns of ``wanted`` that ``table`` has (stock adds some, e.g.
        product_template.tracking and sale_order.warehouse_id)."""
        self.cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name = ANY(%s)",
            [table, list(wanted)],
        )
        present = {row[0] for row in self.cr.fetchall()}
        return [column for column in wanted if column in present]

    def _ids(self, query, params=None):
        self.cr.execute(query, params or [])
        return [row[0] for row in self.cr.fetchall()]

    def _xmlid(self, xmlid):
        module, name = xmlid.split(".")
        res_id = self._scalar("SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s", [module, name])
        if not res_id:
            raise LookupError(f"{xmlid} not found: is sales_team_mgmt installed?")
        return res_id

    @contextlib.contextmanager
    def _timed(self, what):
        start = time.perf_counter()
        yield
        self.log(f"  {what}: {time.perf_counter() - start:.1f} s")

    # ------------------------------------------------------------------ teams
    def teams(self, count, levels=5, roots=8, types=("market", "region", "unit")):
        """Insert a tree of ``count`` teams in ``levels`` levels under ``roots`` root teams.

        Returns ``{"levels": [[ids of level 1], [ids of level 2], ...]}``.
        """
        sizes = _level_sizes(count, levels, roots)
        model_id = self._scalar("SELECT id FROM ir_model WHERE model = 'crm.lead'")
        team_model_id = self._scalar("SELECT id FROM ir_model WHERE model = 'crm.team'")
        result = {"levels": [], "sizes": sizes}
        with self._timed(f"{count} teams in {levels} levels {sizes}"):
            parents = None
            for depth, size in enumerate(sizes):
                team_type = types[min(depth, len(types) - 1)]
                # One alias per team (crm.team requires it), then the teams.
                self.cr.execute(
                    """
                    INSERT INTO mail_alias (alias_model_id, alias_defaults, alias_contact, alias_status,
                                            alias_parent_model_id, create_uid, write_uid, create_date, write_date)
                    SELECT %s, '{}', 'everyone', 'not_tested', %s, 1, 1, now(), now()
                      FROM generate_series(1, %s)
                    RETURNING id
                    """,
                    [model_id, team_model_id, size],
                )
                alias_ids = sorted(r[0] for r in self.cr.fetchall())
                self.cr.execute(
                    """
                    INSERT INTO crm_team (name, code, team_type, company_id, parent_id, alias_id, sequence, active,
                                          use_opportunities, create_uid, write_uid, create_date, write_date)
                    SELECT jsonb_build_object('en_US', %(prefix)s || ' ' || %(depth)s || '-' || g),
                           %(prefix)s || '-' || %(depth)s || '-' || g,
                           %(team_type)s, %(company)s,
                           CASE WHEN %(parents)s::int[] IS NULL THEN NULL
                                ELSE (%(parents)s::int[])[1 + (g - 1) %% cardinality(%(parents)s::int[])] END,
                           (%(aliases)s::int[])[g], 10, true, true, 1, 1, now(), now()
                      FROM generate_series(1, %(size)s) g
                    RETURNING id
                    """,
                    {
                        "prefix": f"B{self.tag}",
                        "depth": depth + 1,
                        "team_type": team_type,
                        "company": self.company_id,
                        "parents": parents,
                        "aliases": alias_ids,
                        "size": size,
                    },
                )
                ids = sorted(r[0] for r in self.cr.fetchall())
                self.cr.execute(
                    """
                    UPDATE mail_alias a SET alias_parent_thread_id = t.id,
                           alias_defaults = '{''type'': ''opportunity'', ''team_id'': ' || t.id || '}'
                      FROM crm_team t WHERE t.alias_id = a.id AND t.id = ANY(%s)
                    """,
                    [ids],
                )
                result["levels"].append(ids)
                parents = ids
            all_ids = [tid for level in result["levels"] for tid in level]
            # parent_path and complete_name, as _parent_store and the recursive compute would.
            self.cr.execute(
                """
                WITH RECURSIVE tree(id, path, full_name) AS (
                    SELECT id, id::text || '/', name->>'en_US' FROM crm_team
                     WHERE parent_id IS NULL AND id = ANY(%(ids)s)
                    UNION ALL
                    SELECT t.id, tree.path || t.id || '/', tree.full_name || ' / ' || (t.name->>'en_US')
                      FROM crm_team t JOIN tree ON t.parent_id = tree.id
                )
                UPDATE crm_team t SET parent_path = tree.path, complete_name = tree.full_name
                  FROM tree WHERE tree.id = t.id
                """,
                {"ids": all_ids},
            )
        return result

    # ------------------------------------------------------------------ users
    def users(self, count, teams=None, leaders=True):
        """Insert ``count`` internal users; each becomes a current member of a team of the
        deepest level (round robin). With ``leaders``, team ``i`` of the tree is led by user ``i``
        (leaders get the Team hierarchy group). Returns the list of user ids."""
        group_user = self._xmlid("base.group_user")
        group_salesman = self._xmlid("sales_team.group_sale_salesman")
        group_hierarchy = self._xmlid("sales_team_mgmt.group_sales_team_mgmt_hierarchy")
        with self._timed(f"{count} users"):
            self.cr.execute(
                """
                INSERT INTO res_partner (name, complete_name, active, type, is_company, company_id, email,
                                         autopost_bills, create_uid, write_uid, create_date, write_date)
                SELECT %(prefix)s || ' salesperson ' || g, %(prefix)s || ' salesperson ' || g, true, 'contact',
                       false, %(company)s, 'b' || %(tag)s || '.' || g || '@example.com', 'ask', 1, 1, now(), now()
                  FROM generate_series(1, %(count)s) g
                RETURNING id
                """,
                {"prefix": f"B{self.tag}", "tag": self.tag, "company": self.company_id, "count": count},
            )
            partner_ids = sorted(r[0] for r in self.cr.fetchall())
            self.cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [partner_ids])
            self.cr.execute(
                """
                INSERT INTO res_users (login, partner_id, company_id, active, share, notification_type,
                                       create_uid, write_uid, create_date, write_date)
                SELECT 'b' || %(tag)s || '_' || g, (%(partners)s::int[])[g], %(company)s, true, false, 'email',
                       1, 1, now(), now()
                  FROM generate_series(1, %(count)s) g
                RETURNING id
                """,
                {"tag": self.tag, "partners": partner_ids, "company": self.company_id, "count": count},
            )
            user_ids = sorted(r[0] for r in self.cr.fetchall())
            self.cr.execute(
                """
                INSERT INTO res_company_users_rel (cid, user_id) SELECT %s, unnest(%s::int[]);
                INSERT INTO res_groups_users_rel (gid, uid)
                SELECT gid, uid FROM unnest(%s::int[]) uid CROSS JOIN unnest(%s::int[]) gid;
                """,
                [self.company_id, user_ids, user_ids, [group_user, group_salesman]],
            )
            if teams:
                all_team_ids = [tid for level in teams["levels"] for tid in level]
                leaves = teams["levels"][-1]
                self.cr.execute(
                    """
                    INSERT INTO crm_team_member (crm_team_id, user_id, active, date_start,
                                                 create_uid, write_uid, create_date, write_date)
                    SELECT (%(leaves)s::int[])[1 + (g - 1) %% cardinality(%(leaves)s::int[])],
                           (%(users)s::int[])[g], true, current_date - 365, 1, 1, now(), now()
                      FROM generate_series(1, cardinality(%(users)s::int[])) g
                    """,
                    {"leaves": leaves, "users": user_ids},
                )
                if leaders:
                    pairs = list(zip(all_team_ids, user_ids, strict=False))
                    self.cr.execute(
                        """
                        UPDATE crm_team t SET user_id = p.uid
                          FROM unnest(%s::int[], %s::int[]) AS p(tid, uid) WHERE t.id = p.tid
                        """,
                        [[p[0] for p in pairs], [p[1] for p in pairs]],
                    )
                    self.cr.execute(
                        "INSERT INTO res_groups_users_rel (gid, uid) SELECT %s, unnest(%s::int[])",
                        [group_hierarchy, [p[1] for p in pairs]],
                    )
        return user_ids

    # ------------------------------------------------------------------ customers
    def customers(self, count):
        """Insert ``count`` customer companies; returns their ids."""
        with self._timed(f"{count} customers"):
            self.cr.execute(
                """
                INSERT INTO res_partner (name, complete_name, active, type, is_company, customer_rank,
                                         autopost_bills, create_uid, write_uid, create_date, write_date)
                SELECT %(prefix)s || ' customer ' || g, %(prefix)s || ' customer ' || g, true, 'contact', true, 1,
                       'ask', 1, 1, now(), now()
                  FROM generate_series(1, %(count)s) g
                RETURNING id
                """,
                {"prefix": f"B{self.tag}", "count": count},
            )
            ids = sorted(r[0] for r in self.cr.fetchall())
            self.cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids])
        return ids

    # ------------------------------------------------------------------ orders
    def product(self):
        """A consumable product for the generated lines (created once per tag)."""
        uom = self._xmlid("uom.product_uom_unit")
        categ = self._scalar("SELECT id FROM product_category ORDER BY id LIMIT 1")
        values = {
            "name": Json({"en_US": f"B{self.tag} product"}),
            "type": "consu",
            "categ_id": categ,
            "uom_id": uom,
            "uom_po_id": uom,
            "list_price": 100,
            "sale_ok": True,
            "purchase_ok": True,
            "active": True,
            "invoice_policy": "order",
            "sale_line_warn": "no-message",
            "tracking": "none",  # stock
            "service_tracking": "no",
            "create_uid": 1,
            "write_uid": 1,
        }
        columns = self._columns("product_template", values)
        self.cr.execute(
            sql.SQL(
                "INSERT INTO product_template ({columns}, create_date, write_date) VALUES ({values}, now(), now())"
                " RETURNING id"
            ).format(
                columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
                values=sql.SQL(", ").join(sql.Placeholder() * len(columns)),
            ),
            [values[column] for column in columns],
        )
        tmpl = self.cr.fetchone()[0]
        self.cr.execute(
            "INSERT INTO product_product (product_tmpl_id, active, create_uid, write_uid, create_date, write_date)"
            " VALUES (%s, true, 1, 1, now(), now()) RETURNING id",
            [tmpl],
        )
        return self.cr.fetchone()[0], uom

    def orders(self, count, customers, users, lines=1, days=730, batch=200000):
        """Insert ``count`` sale orders of ``lines`` lines each, in batches.

        Each order's salesperson is a user, its team the user's membership team, its
        customer one of ``customers``; 80% are confirmed (``sale``), the rest quotations."""
        product_id, uom_id = self.product()
        pricelist = self._scalar("SELECT id FROM product_pricelist WHERE active ORDER BY id LIMIT 1")
        # with stock (sale_stock): the warehouse and the picking policy of the orders
        stock = self._columns("sale_order", ["warehouse_id", "picking_policy"]) == ["warehouse_id", "picking_policy"]
        warehouse = stock and self._scalar(
            "SELECT id FROM stock_warehouse WHERE company_id = %s LIMIT 1", [self.company_id]
        )
        self.cr.execute(
            "SELECT user_id, crm_team_id FROM crm_team_member WHERE user_id = ANY(%s) AND active ORDER BY user_id",
            [users],
        )
        member_team = dict(self.cr.fetchall())
        user_arr = [u for u in users if u in member_team]
        team_arr = [member_team[u] for u in user_arr]
        done = 0
        with self._timed(f"{count} orders x {lines} lines"):
            while done < count:
                size = min(batch, count - done)
                low = self._scalar("SELECT coalesce(max(id), 0) FROM sale_order")
                self.cr.execute(
                    f"""
                    INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, date_order,
                                            company_id, currency_id, pricelist_id, user_id, team_id,
                                            state, approval_state, {"warehouse_id, picking_policy," if stock else ""}
                                            invoice_status, amount_untaxed, amount_tax, amount_total, currency_rate,
                                            create_uid, write_uid, create_date, write_date)
                    SELECT 'B' || %(tag)s || '/' || lpad((%(offset)s + g)::text, 7, '0'),
                           c.cid, c.cid, c.cid,
                           now() - random() * %(days)s * interval '1 day',
                           %(company)s, %(currency)s, %(pricelist)s, u.uid, u.tid,
                           CASE WHEN g %% 5 = 0 THEN 'draft' ELSE 'sale' END, 'none',
                           {"%(warehouse)s, 'direct'," if stock else ""}
                           CASE WHEN g %% 5 = 0 THEN 'no' ELSE 'to invoice' END,
                           100 * %(lines)s * (1 + g %% 10), 0, 100 * %(lines)s * (1 + g %% 10), 1,
                           1, 1, now(), now()
                      FROM generate_series(1, %(size)s) g
                      JOIN LATERAL (SELECT (%(customers)s::int[])[1 + (%(offset)s + g) %% %(ncust)s] AS cid) c ON true
                      JOIN LATERAL (SELECT (%(users)s::int[])[1 + (%(offset)s + g) %% %(nusers)s] AS uid,
                                           (%(teams)s::int[])[1 + (%(offset)s + g) %% %(nusers)s] AS tid) u ON true
                    """,
                    {
                        "tag": self.tag,
                        "offset": done,
                        "days": days,
                        "company": self.company_id,
                        "currency": self.currency_id,
                        "pricelist": pricelist,
                        "warehouse": warehouse,
                        "lines": lines,
                        "size": size,
                        "customers": customers,
                        "ncust": len(customers),
                        "users": user_arr,
                        "teams": team_arr,
                        "nusers": len(user_arr),
                    },
                )
                self.cr.execute(
                    """
                    INSERT INTO sale_order_line (order_id, name, sequence, product_id, product_uom, product_uom_qty,
                                                 price_unit, discount, price_subtotal, price_total, price_tax,
                                                 price_reduce_taxexcl, price_reduce_taxinc, customer_lead,
                                                 company_id, currency_id, order_partner_id, salesman_id, state,
                                                 qty_delivered_method, invoice_status,
                                                 create_uid, write_uid, create_date, write_date)
                    SELECT o.id, 'B' || %(tag)s || ' product', 10 * l, %(product)s, %(uom)s, 1 + o.id %% 10,
                           100, 0, 100 * (1 + o.id %% 10), 100 * (1 + o.id %% 10), 0, 100, 100, 0,
                           o.company_id, o.currency_id, o.partner_id, o.user_id, o.state,
                           'manual', o.invoice_status, 1, 1, now(), now()
                      FROM sale_order o CROSS JOIN generate_series(1, %(lines)s) l
                     WHERE o.id > %(low)s
                    """,
                    {"tag": self.tag, "product": product_id, "uom": uom_id, "lines": lines, "low": low},
                )
                done += size
                self.cr.connection.commit()
                self.log(f"    {done} / {count} orders")

    def analyze(self):
        with self._timed("ANALYZE"):
            for table in ("crm_team", "crm_team_member", "res_users", "res_partner", "sale_order", "sale_order_line"):
                self.cr.execute(f"ANALYZE {table}")  # noqa: S608 (constant names)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database with sales_team_mgmt installed")
    parser.add_argument("--teams", type=int, default=2000)
    parser.add_argument("--levels", type=int, default=5)
    parser.add_argument("--roots", type=int, default=8, help="teams of the first level (markets)")
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--customers", type=int, default=50000)
    parser.add_argument("--orders", type=int, default=1000000)
    parser.add_argument("--lines", type=int, default=1, help="lines per order")
    parser.add_argument("--days", type=int, default=730, help="orders spread over the last N days")
    parser.add_argument("--tag", help="tag of the generated rows (default: random)")
    args = parser.parse_args()
    with DataGen.connect(args.db, tag=args.tag) as gen:
        print(f"Generating into {args.db} with tag {gen.tag}")
        teams = gen.teams(args.teams, levels=args.levels, roots=args.roots)
        users = gen.users(args.users, teams=teams)
        customers = gen.customers(args.customers)
        gen.cr.connection.commit()
        gen.orders(args.orders, customers=customers, users=users, lines=args.lines, days=args.days)
        gen.analyze()
        print(f"Done: tag {gen.tag}; root teams {teams['levels'][0][:3]}...")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
