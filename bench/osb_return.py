"""Benchmark: the cap of customer returns (退货) and the approval that makes the pickings.

On a database with osb_credit installed (``--db``), in one transaction rolled
back at the end (nothing is kept):

1. an order of ``--lines`` products (default 200), delivered in ``--deliveries``
   pickings (default 4: each line shipped in parts), then, for each line, a
   return history (``--history`` earlier returns, default 5);
2. the cap of a return of every line (``osb.return.line._check_return_cap``):
   its queries (target: the same for 1 line as for all, one aggregate) and time
   (median of 5);
3. the approval of that return (``action_approve``: one return picking per
   delivery through ``stock.return.picking``): its time.

Prints the figures; exits with status 1 when the cap's query count depends on
the number of lines.

    python3 bench/osb_return.py --db ret_dev --lines 50     # a small run
"""

import argparse
import statistics
import sys
import time

from benchlib import open_registry


def timed(fn, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def count_queries(env, fn):
    cr = env.cr
    before = cr.sql_log_count
    fn()
    return cr.sql_log_count - before


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--deliveries", type=int, default=4)
    parser.add_argument("--history", type=int, default=5)
    args = parser.parse_args()

    from odoo import SUPERUSER_ID, Command, api

    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["osb.credit.policy"]._get_policy(env.company).write({"enforce": False, "return_kam_threshold": 1e12})
        customer = env["res.partner"].create({"name": "Bench return customer", "is_company": True})
        products = env["product.product"].create(
            [{"name": f"Bench return {i}", "type": "consu", "list_price": 1.0} for i in range(args.lines)]
        )
        qty = args.deliveries * (args.history + 2)
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": env.uid,
                "order_line": [Command.create({"product_id": p.id, "product_uom_qty": qty}) for p in products],
            }
        )
        order.action_confirm()
        start = time.perf_counter()
        for _ in range(args.deliveries):
            picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
            for move in picking.move_ids:
                move.quantity = qty / args.deliveries
                move.picked = True
            picking.with_context(cancel_backorder=False, skip_sms=True)._action_done()
        setup = time.perf_counter() - start
        Return = env["osb.return"]
        for _ in range(args.history):
            Return.create(
                {
                    "order_id": order.id,
                    "line_ids": [Command.create({"sale_line_id": line.id, "quantity": 1}) for line in order.order_line],
                }
            )
        ret = Return.create(
            {
                "order_id": order.id,
                "line_ids": [Command.create({"sale_line_id": line.id, "quantity": 1}) for line in order.order_line],
            }
        )
        lines = ret.line_ids
        lines._check_return_cap()  # warm the cache
        q_one = count_queries(env, lambda: lines[:1]._check_return_cap())
        q_all = count_queries(env, lambda: lines._check_return_cap())
        cap_time = timed(lines._check_return_cap)
        ret.action_submit()
        start = time.perf_counter()
        ret.action_approve()
        approve = time.perf_counter() - start
        pickings = len(ret.picking_ids)
        cr.rollback()

    print(f"scale: {args.lines} order lines, {args.deliveries} deliveries, {args.history} earlier returns per line")
    print(f"setup (deliveries): {setup:.2f} s")
    print(f"cap of 1 line: {q_one} queries; cap of {len(lines)} lines: {q_all} queries")
    print(f"cap of {len(lines)} lines: {cap_time * 1000:.1f} ms (median of 5)")
    print(f"approval ({pickings} return pickings through stock.return.picking): {approve:.2f} s")
    if q_all != q_one:
        print("MISS: the cap's query count depends on the number of lines")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
