"""Load with invariants: many XML-RPC clients at once against a prefork server,
mixing the sales, approval, credit, delivery, invoicing and payment work of a
few hundred customers under credit control; then the invariants the load must
never break.

Shared by the short test (``tests/test_load_invariants.py``, in the test
command) and the long benchmark (``bench/load_invariants.py``):

    data = build(env, customers=300, reps=6)        # committed, superuser
    stats = run_load(server, data, clients=20, seconds=300)
    report = check_invariants(env, data)              # after the load

The clients play four parts, in proportion: salespeople (quotations, line
edits, confirmations, some above their authority, some beyond the customer's
limit), the unit leader (approves what waits for him and confirms it), credit
managers (release some held orders) and the back office (validates deliveries,
invoices what is delivered, posts and registers full or partial payments).
A fault the server answers cleanly (UserError, ValidationError, AccessError:
a hold, a refused edit, a record another client took first) is counted as a
refusal; any other fault, or a traceback, is a server error."""

import random
import re
import threading
import time
import uuid
import xmlrpc.client
from collections import Counter

from odoo import Command

from conftest import SERVER_ERROR, new_api_user

ACCESS_FAULT, WARNING_FAULT = 4, 2
PRICE = 1000.0
SALESMAN = "sales_team.group_sale_salesman,sales_team_mgmt.group_sales_team_mgmt_user"
LEADER = "sales_team.group_sale_salesman,sales_team_mgmt.group_sales_team_mgmt_hierarchy"
CREDIT = "sales_team.group_sale_salesman_all_leads,osb_credit.group_osb_credit_manager"
BACK_OFFICE = "sales_team.group_sale_manager,stock.group_stock_user,account.group_account_invoice"
# Parts of the clients, in turn: 6 of 10 sell, 1 approves, 1 releases, 2 ship and bill.
PARTS = ("rep", "rep", "rep", "rep", "rep", "rep", "leader", "credit", "back_office", "back_office")
# Rows every confirmation path shares: a conflict on them is a defect, not a race
# of two users on one document.
SHARED_TABLES = ("res_partner", "res_company", "ir_sequence")
RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ ")
CONFLICT_TABLE = re.compile(r'bad query: b?.(?:\s*)(?:UPDATE|INSERT INTO|DELETE FROM) "(\w+)"')
# What the exposure record stores, compared with a fresh computation.
EXPOSURE_FIELDS = (
    "receivable_not_due",
    "receivable_overdue",
    "order_uninvoiced",
    "draft_invoice",
    "unapplied_payment",
    "down_payment",
    "exposure",
    "credit_limit",
)


def build(env, customers=60, reps=4):
    """A unit (leader with ample authority, ``reps`` salespeople with 30,000
    each), ``customers`` customers under credit control with limits of 20,000 to
    120,000, and two products (invoiced on order and on delivery, 1,000 each,
    no tax). Returns the ids and the API keys of the users."""
    tag = uuid.uuid4().hex[:6]
    data = {"tag": tag, "company_id": env.company.id}
    Role = env["sales.role"]
    rep_role = Role.create({"name": f"Load Rep {tag}", "code": f"LREP-{tag}", "max_order_amount": 30000})
    leader_role = Role.create({"name": f"Load Leader {tag}", "code": f"LUM-{tag}", "max_order_amount": 1000000})
    leader, data["leader_key"] = new_api_user(env, f"load_{tag}_leader", LEADER)
    credit, data["credit_key"] = new_api_user(env, f"load_{tag}_credit", CREDIT)
    office, data["back_office_key"] = new_api_user(env, f"load_{tag}_office", BACK_OFFICE)
    team = env["crm.team"].create({"name": f"Load Unit {tag}", "team_type": "unit", "user_id": leader.id})
    env["crm.team.member"].create({"crm_team_id": team.id, "user_id": leader.id, "role_id": leader_role.id})
    data["reps"] = []
    for index in range(reps):
        rep, key = new_api_user(env, f"load_{tag}_rep{index}", SALESMAN)
        env["crm.team.member"].create({"crm_team_id": team.id, "user_id": rep.id, "role_id": rep_role.id})
        data["reps"].append({"login": rep.login, "key": key, "id": rep.id, "customers": []})
    data.update(
        team_id=team.id,
        leader_login=leader.login,
        credit_login=credit.login,
        back_office_login=office.login,
    )
    products = env["product.product"].create(
        [
            {
                "name": f"Load {policy} {tag}",
                "default_code": f"LOAD-{policy}-{tag}",
                "type": "consu",
                "invoice_policy": policy,
                "list_price": PRICE,
                "taxes_id": [Command.clear()],
            }
            for policy in ("order", "delivery")
        ]
    )
    data["product_ids"] = products.ids
    term = env.ref("account.account_payment_term_immediate")
    rng = random.Random(tag)
    partners = env["res.partner"].create(
        [
            {
                "name": f"Load Customer {tag} {index:03d}",
                "is_company": True,
                "credit_limit": rng.choice((20000, 40000, 60000, 120000)),
                "property_payment_term_id": term.id,
                "user_id": data["reps"][index % reps]["id"],
                "osb_slt_user_id": leader.id,
                "osb_credit_grade": "A",
            }
            for index in range(customers)
        ]
    )
    for index, partner in enumerate(partners):
        data["reps"][index % reps]["customers"].append(partner.id)
    data["customer_ids"] = partners.ids
    return data


class _Client:
    """One load client: its XML-RPC connection, its part and its counts."""

    def __init__(self, server, login, key, part, seed):
        self.rpc = server.client(login, key)
        self.part = part
        self.rng = random.Random(seed)
        self.counts = Counter()
        self.server_errors = []

    def call(self, model, method, *args, **kwargs):
        """``execute_kw``; a clean refusal returns None, a server error is kept."""
        self.counts["requests"] += 1
        try:
            return self.rpc.call(model, method, *args, **kwargs)
        except xmlrpc.client.Fault as fault:
            if fault.faultCode in (ACCESS_FAULT, WARNING_FAULT) and "Traceback" not in fault.faultString:
                self.counts[f"refused {model}.{method}"] += 1
            else:
                self.server_errors.append(f"{model}.{method}: {fault.faultString[-800:]}")
            return None


def _rep_step(client, data, rep):
    rng = client.rng
    lines = [
        (0, 0, {"product_id": rng.choice(data["product_ids"]), "product_uom_qty": rng.randint(1, 18)})
        for _i in range(rng.randint(1, 2))
    ]
    order_id = client.call(
        "sale.order",
        "create",
        {"partner_id": rng.choice(rep["customers"]), "team_id": data["team_id"], "order_line": lines},
    )
    if not order_id:
        return
    if rng.random() < 0.5:
        (order,) = client.call("sale.order", "read", [order_id], ["order_line"]) or [{}]
        if order.get("order_line"):
            client.call("sale.order.line", "write", order["order_line"][:1], {"product_uom_qty": rng.randint(1, 18)})
    if client.call("sale.order", "action_confirm", [order_id]) is not None:
        client.counts["confirm calls"] += 1
    if rng.random() < 0.1:
        # A confirmed order grown afterwards: the re-checks refuse what they must.
        line_ids = client.call("sale.order.line", "search", [("order_id", "=", order_id)], limit=1)
        if line_ids:
            client.call("sale.order.line", "write", line_ids, {"product_uom_qty": 40})


def _leader_step(client, data):
    waiting = client.call(
        "sale.order",
        "search",
        [("approval_state", "=", "to_approve"), ("approver_id", "=", client.rpc.uid)],
        limit=3,
        order="id",
    )
    if not waiting:
        time.sleep(0.2)
        return
    for order_id in waiting:
        if client.call("sale.order", "action_approval_approve", [order_id]) is not None:
            client.counts["approved"] += 1
            client.call("sale.order", "action_confirm", [order_id])


def _credit_step(client, data):
    # What waits for the leader's approval is his first (the release would confirm it).
    held = client.call(
        "sale.order",
        "search",
        [
            ("credit_hold", "=", True),
            ("state", "in", ("draft", "sent")),
            ("approval_state", "!=", "to_approve"),
            ("team_id", "=", data["team_id"]),
        ],
        limit=5,
    )
    if not held:
        time.sleep(0.2)
        return
    order_id = client.rng.choice(held)
    if client.rng.random() < 0.4:
        if client.call("osb.credit.release", "create", {"order_id": order_id, "reason": "Load test release"}):
            client.counts["released"] += 1
    else:
        time.sleep(0.1)


def _back_office_step(client, data):
    customers = client.customers
    # Each round ships, bills, posts and collects what the previous rounds left.
    for action in ("deliver", "invoice", "post", "pay"):
        _back_office_action(client, customers, action)


def _back_office_action(client, customers, action):
    rng = client.rng
    if action == "deliver":
        pickings = client.call(
            "stock.picking",
            "search",
            [
                ("picking_type_code", "=", "outgoing"),
                ("state", "in", ("confirmed", "assigned")),
                ("partner_id", "in", customers),
            ],
            limit=2,
            order="id desc",
        )
        if pickings and client.call("stock.picking", "button_validate", pickings) is not None:
            client.counts["delivered"] += len(pickings)
    elif action == "invoice":
        orders = client.call(
            "sale.order",
            "search",
            [("invoice_status", "=", "to invoice"), ("partner_id", "in", customers)],
            limit=3,
            order="id desc",
        )
        if orders:
            wizard = client.call(
                "sale.advance.payment.inv",
                "create",
                {"advance_payment_method": "delivered", "sale_order_ids": [(6, 0, orders)]},
            )
            if wizard and client.call("sale.advance.payment.inv", "create_invoices", [wizard]) is not None:
                client.counts["invoiced"] += 1
    elif action == "post":
        moves = client.call(
            "account.move",
            "search",
            [("move_type", "=", "out_invoice"), ("state", "=", "draft"), ("partner_id", "in", customers)],
            limit=2,
        )
        if moves and client.call("account.move", "action_post", moves) is not None:
            client.counts["posted"] += len(moves)
    else:
        moves = client.call(
            "account.move",
            "search_read",
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("partner_id", "in", customers),
            ],
            ["amount_residual"],
            limit=5,
        )
        if not moves:
            time.sleep(0.2)
            return
        move = rng.choice(moves)
        values = {}
        if rng.random() < 0.3:
            values = {"amount": round(move["amount_residual"] / 2, 2), "payment_difference_handling": "open"}
        context = {"active_model": "account.move", "active_ids": [move["id"]]}
        wizard = client.call("account.payment.register", "create", values, context=context)
        if wizard and client.call("account.payment.register", "action_create_payments", [wizard], context=context):
            client.counts["paid"] += 1


def run_load(server, data, clients=20, seconds=60, seed=0):
    """``clients`` threads for ``seconds``; returns the counts, the requests per
    second, the server errors and the server's log lines of the run."""
    workers = []
    for index in range(clients):
        part = PARTS[index % len(PARTS)]
        if part == "rep":
            rep = data["reps"][index % len(data["reps"])]
            login, key = rep["login"], rep["key"]
        else:
            login, key = data[f"{part}_login"], data[f"{part}_key"]
        client = _Client(server, login, key, part, seed * 1000 + index)
        client.rep = rep if part == "rep" else None
        workers.append(client)
    # Each back-office client ships and bills its own customers, as each order has
    # one SCR and one BCR: two clients never validate or invoice one document.
    office = [client for client in workers if client.part == "back_office"]
    for index, client in enumerate(office):
        client.customers = data["customer_ids"][index :: len(office)]
    barrier = threading.Barrier(clients)
    deadline = [None]

    def work(client):
        barrier.wait()
        while time.monotonic() < deadline[0]:
            try:
                if client.part == "rep":
                    _rep_step(client, data, client.rep)
                elif client.part == "leader":
                    _leader_step(client, data)
                elif client.part == "credit":
                    _credit_step(client, data)
                else:
                    _back_office_step(client, data)
            except (OSError, xmlrpc.client.ProtocolError) as error:  # the server went away
                client.server_errors.append(f"transport: {error}")
                return

    mark = server.log_mark()
    start = time.monotonic()
    deadline[0] = start + seconds
    threads = [threading.Thread(target=work, args=(client,)) for client in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 600)
    elapsed = time.monotonic() - start
    counts = sum((client.counts for client in workers), Counter())
    log = server.log_since(mark)
    conflicts, log_errors = classify_log(log)
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": counts["requests"],
        "requests_per_second": round(counts["requests"] / elapsed, 1),
        "counts": dict(sorted(counts.items())),
        "server_errors": [error for client in workers for error in client.server_errors],
        "retried_conflicts": dict(conflicts),
        "log_errors": log_errors,
        "log": log,
    }


def classify_log(lines):
    """The server's log of a run split into the races of two users on one
    document at the same instant (``{table: count}``): the serialisation
    failures Odoo retried (a retry that runs out reaches its client as a server
    error) and the duplicate follower core refuses when both confirm one order;
    and every other error line or traceback."""
    records, current = [], []
    for line in lines:
        if RECORD_START.match(line) and current:
            records.append(current)
            current = []
        current.append(line)
    if current:
        records.append(current)
    conflicts, errors = Counter(), []
    for record in records:
        text = "\n".join(record)
        if not any(SERVER_ERROR.search(line) for line in record):
            continue
        if " INFO " in record[0] and "SERIALIZATION_FAILURE" in text:
            continue  # Odoo's retry
        match = CONFLICT_TABLE.search(text)
        if match and "could not serialize access" in text:
            conflicts[match.group(1)] += 1
        elif match and match.group(1) == "mail_followers" and "mail_followers_res_partner_res_model_id_uniq" in text:
            # two users confirming one order at once both subscribe its customer: core
            # refuses the second cleanly ("a partner cannot follow twice the same object")
            conflicts["mail_followers"] += 1
        else:
            errors.append(text[:3000])
    return conflicts, errors


def _drain_exposure_queue(env):
    Queue = env["osb.credit.exposure.queue"].sudo()
    for _i in range(1000):
        env.cr.execute("SELECT count(*) FROM osb_credit_exposure_queue")
        if not env.cr.fetchone()[0]:
            return
        Queue._cron_process()
    raise AssertionError("the exposure queue does not drain")


def _fact_rows(env, company_id):
    env.cr.execute(
        """
        SELECT to_jsonb(f) - 'id' - 'create_date' - 'write_date' - 'create_uid' - 'write_uid'
          FROM sales_kpi_fact f WHERE company_id = %s
        """,
        [company_id],
    )
    return sorted(str(row[0]) for row in env.cr.fetchall())


def check_invariants(env, data):
    """The invariants after the load, as ``{name: (ok, detail)}`` (``env``:
    superuser, its changes committed by the caller's ``committed_env``)."""
    company = env["res.company"].browse(data["company_id"])
    Order = env["sale.order"].sudo()
    orders = Order.search([("team_id", "=", data["team_id"])])
    report = {}
    both = orders.filtered(lambda o: o.state == "sale" and o.credit_hold)
    unapproved = orders.filtered(lambda o: o.state == "sale" and o.approval_state in ("to_approve", "rejected"))
    report["no order both held and confirmed"] = (not both, both.mapped("name"))
    report["no order confirmed unapproved"] = (not unapproved, unapproved.mapped("name"))
    names = orders.mapped("name")
    report["order numbers unique"] = (len(set(names)) == len(names), len(names) - len(set(names)))
    # Exposure within the limit, but for what a valid release let through.
    fresh = env["osb.credit.exposure"]._compute_exposure(data["customer_ids"], company)
    released = Counter()
    for release in env["osb.credit.release"].sudo().search([("partner_id", "in", data["customer_ids"])]):
        if release.is_valid and release.order_id.state == "sale":
            released[release.partner_id.id] += release.released_amount
    over = {
        pid: (values["exposure"], values["credit_limit"], released[pid])
        for pid, values in fresh.items()
        if values["exposure"] > values["credit_limit"] + released[pid] + 0.005
    }
    report["exposure within limit plus releases"] = (not over, over)
    # The stored exposure, once its queue has drained, is a fresh computation.
    _drain_exposure_queue(env)
    stored = {
        rec.partner_id.id: rec
        for rec in env["osb.credit.exposure"]
        .sudo()
        .search([("partner_id", "in", data["customer_ids"]), ("company_id", "=", company.id)])
    }
    stale = {}
    for pid, values in fresh.items():
        rec = stored.get(pid)
        expected = {name: round(values[name], 2) for name in EXPOSURE_FIELDS}
        got = {name: round(rec[name], 2) for name in EXPOSURE_FIELDS} if rec else None
        moved = any(value for name, value in expected.items() if name != "credit_limit")
        if (rec or moved) and got != expected:
            stale[pid] = (got, expected)
    report["stored exposure equals a fresh computation"] = (not stale, dict(list(stale.items())[:5]))
    # The incremental facts equal a full rebuild of their months.
    Fact = env["sales.kpi.fact"].sudo()
    Fact.refresh()
    env.cr.execute("SELECT min(month), max(month) FROM sales_kpi_fact WHERE company_id = %s", [company.id])
    first, last = env.cr.fetchone()
    before = _fact_rows(env, company.id)
    if first:
        Fact.rebuild(first, last, company.ids)
    after = _fact_rows(env, company.id)
    differ = sorted(set(before) ^ set(after))
    report["facts equal a full rebuild"] = (not differ, differ[:5])
    report["orders"] = (True, dict(Counter(orders.mapped("state"))))
    return report
