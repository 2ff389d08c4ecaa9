"""Load with invariants, the short form of ``bench/load_invariants.py``: 20
XML-RPC clients for 40 seconds against the prefork server, selling, approving,
releasing, shipping, invoicing and collecting for 60 customers under credit
control (``tests/load_invariants.py``). Afterwards: no server error, no order
both held and confirmed nor confirmed unapproved, no customer's exposure above
its limit but for what a valid release let through, the stored exposure equal
to a fresh computation once its queue has drained, the facts equal to a full
rebuild; Odoo's retries of a serialisation failure (two clients on one
document at the same instant) are counted, and none may be on the rows that
every confirmation shares (partner, company, sequence). The figures are written to ``.local/log/<db>.load.txt``."""

import json

import pytest
from load_invariants import SHARED_TABLES, build, check_invariants, run_load
from osb_credit_fixtures import osb_credit_enforced

from conftest import ROOT, committed_env, db_name

CLIENTS = 20
SECONDS = 40


@pytest.fixture(scope="module")
def load_data(odoo_prefork_server):
    with committed_env() as env:
        data = build(env, customers=60, reps=4)
    with osb_credit_enforced():
        yield data


def test_load_keeps_the_invariants(odoo_prefork_server, load_data):
    stats = run_load(odoo_prefork_server, load_data, clients=CLIENTS, seconds=SECONDS)
    with committed_env() as env:
        report = check_invariants(env, load_data)
    figures = {key: value for key, value in stats.items() if key != "log"}
    figures["invariants"] = {name: ok if ok else detail for name, (ok, detail) in report.items()}
    figures["orders"] = report["orders"][1]
    with open(ROOT / ".local" / "log" / f"{db_name()}.load.txt", "w", encoding="utf-8") as out:
        json.dump(figures, out, indent=1, default=str)
    assert not stats["server_errors"], stats["server_errors"][:5]
    assert not stats["log_errors"], stats["log_errors"][:5]
    shared = {table: n for table, n in stats["retried_conflicts"].items() if table in SHARED_TABLES}
    assert not shared, f"confirmations conflicted on shared rows: {shared}"
    broken = {name: detail for name, (ok, detail) in report.items() if not ok}
    assert not broken, broken
    counts = stats["counts"]
    # Every part of the work really ran.
    for what in ("confirm calls", "approved", "delivered", "invoiced", "posted", "paid"):
        assert counts.get(what), f"no {what} during the load: {counts}"
    assert report["orders"][1].get("sale"), report["orders"]
