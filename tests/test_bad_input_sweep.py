"""The bad-input sweep of tests/bad_input.py, over XML-RPC against the real
prefork server: wrong types, empty required values, negatives and zeros, 10k
character texts, emoji and mixed scripts, ids that do not exist, another
company's and archived records, malformed dates, unknown selection values,
recursive parents, and the public methods an integration calls.

Each answer is either a success, the value being stored exactly (read back), or
a clean fault: XML-RPC fault code 2 (``UserError``, ``ValidationError``,
``MissingError``) or 4 (``AccessError``) whose message names the field or the
rule; never fault code 1 (an internal server error, whose text is a traceback:
``ValueError``, ``TypeError``, a psycopg2 error...), and never a server error in
the log. Nothing is half-written: the row counts of the model and of every table
it touches, and the record's row, are compared before and after each refused call.

The decision (sales_team_mgmt, ``models/base.py``): core Odoo answers a value of
the wrong type with a ``ValueError`` (an unknown selection value, a malformed
date, a text for a number) or lets it reach PostgreSQL (a text for a many2one:
a psycopg2 error; an id that does not exist: a foreign-key violation reported as
"another model requires the record being deleted"). One check, on ``base``'s
``create`` and ``write``, refuses such values with a ``ValidationError`` naming
the field, before anything is written. It applies to the fields of the addons
(every field of their models, and the fields they add to core models), found by
the module that defines them (``sales_team_mgmt`` or an addon depending on it):
core fields keep core behaviour (``KNOWN_CORE`` in the table lists the cases
that show it). A mixin would have needed a line in every model, and missed the
fields added to core models.
"""

import xmlrpc.client
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import bad_input
import pytest
from access_matrix import MATRIX
from bad_input import ACCEPT, ARCHIVED, OTHER_COMPANY, REFUSE
from osb_credit_fixtures import osb_credit_enforced

from odoo import Command
from odoo.modules.registry import Registry
from odoo.tools import SQL

from odoo.addons.sales_team_mgmt.models.base import is_sales_module

from conftest import PREFORK_WORKERS, ROOT, committed_env, db_name, new_api_user, server_errors

ACCESS_FAULT, WARNING_FAULT = 4, 2
MAIL_TABLES = ("mail_message", "mail_tracking_value", "mail_followers", "mail_activity", "ir_attachment")
MANAGER_GROUPS = (
    "sales_team.group_sale_manager,sales_team_mgmt.group_sales_team_mgmt_manager,"
    "sales_team_mgmt.group_sales_team_mgmt_hierarchy,osb_credit.group_osb_credit_manager,"
    "sales_kpi.group_sales_kpi_manager,base.group_partner_manager,account.group_account_invoice,"
    "osb_credit.group_osb_ssg_leader,hr.group_hr_manager"
)
SKIPPED_PREFIXES = ("message_", "activity_", "website_message", "rating_")


def swept_models():
    return [entry["model"] for entry in MATRIX if entry["model"] not in bad_input.NOT_SWEPT]


# --- the data: the access matrix's records, a manager, other-company and archived records


def _other_company_and_archived(env, data):
    """Per comodel: a record of the other company, an archived record."""
    other = env["res.users"].browse(data["other_company_id"]).company_id
    data["other_company_company_id"] = other.id
    tag = data["tag"]
    partner_b = env["res.partner"].create({"name": f"BI customer B {tag}", "company_id": other.id})
    team_b = env["crm.team"].create({"name": f"BI team B {tag}", "company_id": other.id})
    kpi_b = env["sales.kpi"].create(
        {"code": f"BI_{tag}", "name": "BI KPI B", "source": "manual", "company_id": other.id}
    )
    product_b = env["product.product"].create({"name": f"BI product B {tag}", "company_id": other.id})
    order_b = (
        env["sale.order"]
        .with_company(other)
        .create(
            {
                "partner_id": partner_b.id,
                "company_id": other.id,
                "order_line": [Command.create({"product_id": product_b.id, "tax_id": [Command.clear()]})],
            }
        )
    )
    other_records = {
        "res.partner": partner_b.id,
        "crm.team": team_b.id,
        "sales.kpi": kpi_b.id,
        "product.product": product_b.id,
        "sale.order": order_b.id,
        "res.users": data["other_company_id"],
        "res.company": other.id,
        "sales.role": env["sales.role"].create({"name": "BI role B", "code": f"BI-{tag}", "company_id": other.id}).id,
        "sales.customer.class": env["sales.customer.class"]
        .create({"name": "BI class B", "code": f"BI-{tag}", "company_id": other.id})
        .id,
        "sales.kpi.target.plan": env["sales.kpi.target.plan"]
        .create(
            {"name": "BI plan B", "kpi_id": kpi_b.id, "fiscal_year": 2031, "root_value": 1.0, "company_id": other.id}
        )
        .id,
        "crm.lead": env["crm.lead"].create({"name": "BI lead B", "company_id": other.id}).id,
        "sales.rank": env["sales.rank"]
        .create(
            {
                "ladder_id": env["sales.rank.ladder"].create({"name": f"BI ladder B {tag}", "company_id": other.id}).id,
                "code": "B1",
                "name": "BI rank B",
            }
        )
        .id,
    }
    archived = {
        "res.partner": env["res.partner"].create({"name": f"BI archived {tag}", "active": False}).id,
        "crm.team": env["crm.team"].create({"name": f"BI archived {tag}", "active": False}).id,
        "res.users": new_api_user(env, f"bi_{tag}_archived", "base.group_user")[0].id,
        "sales.role": env["sales.role"].create({"name": "BI archived", "code": f"BIA-{tag}", "active": False}).id,
        "sales.customer.class": env["sales.customer.class"]
        .create({"name": "BI archived", "code": f"BIA-{tag}", "active": False})
        .id,
        "sales.kpi": env["sales.kpi"].create({"code": f"BIA_{tag}", "name": "BI archived", "source": "manual"}).id,
        "product.product": env["product.product"].create({"name": f"BI archived {tag}", "active": False}).id,
        "crm.lead": env["crm.lead"].create({"name": "BI archived lead", "active": False}).id,
    }
    env["res.users"].browse(archived["res.users"]).active = False
    env["sales.kpi"].browse(archived["sales.kpi"]).active = False
    return other_records, archived


def _score_line(env, data):
    """A score line of a submitted weekly report of the rep (to write scores)."""
    from test_access_matrix import _report_date  # noqa: PLC0415

    report = env["sales.work.report"].create(
        {"user_id": data["rep_id"], "team_id": data["team_u_id"], "report_type": "weekly", "date": _report_date()}
    )
    report.action_submit()
    assert report.score_ids, "the weekly rubric gives score lines"
    return report.score_ids[0].id


def _held_order(env, data):
    """A quotation of the matrix's customer on credit hold (over its limit)."""
    order = env["sale.order"].create(
        {
            "partner_id": data["customer_id"],
            "user_id": data["rep_id"],
            "team_id": data["team_u_id"],
            "order_line": [
                Command.create({"product_id": data["product_id"], "product_uom_qty": 500, "tax_id": [Command.clear()]})
            ],
        }
    )
    order.with_user(data["rep_id"]).action_confirm()
    assert order.credit_hold, "the order is on credit hold"
    return order.id


def _scorecard_cases(env, data):
    """A count KPI (its curve cannot go negative) and a rubric line of 10 points on
    the outsider's scorecard (a template of its own role, in market B)."""
    kpi = env["sales.kpi"].create({"code": f"BI_{data['tag']}_CNT", "name": "BI count", "source": "complaints"})
    role = env["sales.role"].create({"name": "BI role", "code": f"BI-{data['tag']}"})
    env["sales.scorecard.template"].create(
        {
            "name": "BI template",
            "role_id": role.id,
            "daily_work_weight": 70,
            "attendance_weight": 30,
            "line_ids": [Command.create({"line_type": "rubric", "name": "BI item", "points": 10.0})],
        }
    )
    team = env["crm.team"].create(
        {"name": f"BI team {data['tag']}", "parent_id": data["team_b_id"], "company_id": data["company_id"]}
    )
    member = env["crm.team.member"].create({"crm_team_id": team.id, "user_id": data["outsider_id"], "role_id": role.id})
    company = env["res.company"].browse(data["company_id"])
    result = env["sales.scorecard"].sudo()._sales_generate(company, date(2051, 1, 1), members=member)
    return kpi.id, env["sales.scorecard"].browse(result["scorecard_ids"]).line_ids.id


@pytest.fixture(scope="session")
def sweep(matrix_data, odoo_prefork_server):
    data = dict(matrix_data)
    with committed_env() as env:
        data["other_records"], data["archived"] = _other_company_and_archived(env, data)
        manager, key = new_api_user(env, f"bi_{data['tag']}_manager", MANAGER_GROUPS)
        data["manager_id"], login = manager.id, manager.login
        data["score_line_id"] = _score_line(env, data)
        data["target_child_id"] = (
            env["sales.kpi.target.line"]
            .create(
                {
                    "plan_id": data["plan_id"],
                    "parent_id": data["target_line_id"],
                    "owner_type": "user",
                    "user_id": data["kpi_user_id"],
                    "date_from": "2030-01-01",
                    "period_type": "quarter",
                }
            )
            .id
        )
        data["kpi_code"] = env["sales.kpi"].browse(data["kpi_id"]).code
        data["count_kpi_id"], data["rubric_card_line_id"] = _scorecard_cases(env, data)
        other_ladder = env["sales.rank.ladder"].create({"name": f"BI other ladder {data['tag']}"})
        data["other_ladder_rank_id"] = (
            env["sales.rank"].create({"ladder_id": other_ladder.id, "code": "O1", "name": "BI other ladder rank"}).id
        )
        for model, name in (("sale.order", "order"), ("crm.team", "team"), ("sales.customer.class", "class")):
            data[f"other_{name}_id"] = data["other_records"][model]
        data["check_company"] = {
            (model, name)
            for model in swept_models()
            for name, field in env[model]._fields.items()
            if getattr(field, "check_company", False)
        }
    with osb_credit_enforced(), committed_env() as env:
        data["held_order_id"] = _held_order(env, data)
    data["manager"] = odoo_prefork_server.client(login, key)
    data["server"] = odoo_prefork_server
    data["log_mark"] = odoo_prefork_server.log_mark()
    data["snapshots"] = Snapshots()
    return data


# --- nothing half-written: row counts and the record's row, before and after


class Snapshots:
    """Row counts of a model's tables (its own, its many2many relations, the
    tables of its one2many lines) and of its chatter rows (messages, tracking
    values, followers, activities, attachments), and the row of a record."""

    def __init__(self):
        self.registry = Registry(db_name())
        self._tables = {}

    def tables(self, model):
        """The model's own tables (the chatter's are counted for the model only)."""
        if model not in self._tables:
            Model = self.registry[model]
            tables = {Model._table}
            for field in Model._fields.values():
                if field.type == "many2many" and field.store:
                    tables.add(field.relation)
                elif field.type == "one2many" and field.store:
                    comodel = self.registry[field.comodel_name]
                    if comodel._auto and not comodel._abstract:
                        tables.add(comodel._table)
            self._tables[model] = sorted(tables)
        return self._tables[model]

    def take(self, model, record_id=None):
        with self.registry.cursor() as cr:
            counts = [SQL("(SELECT count(*) FROM %s)", SQL.identifier(t)) for t in self.tables(model)]
            counts += [
                SQL("(SELECT count(*) FROM mail_message WHERE model = %s)", model),
                SQL(
                    "(SELECT count(*) FROM mail_tracking_value v JOIN mail_message m ON m.id = v.mail_message_id"
                    " WHERE m.model = %s)",
                    model,
                ),
                *(
                    SQL("(SELECT count(*) FROM %s WHERE res_model = %s)", SQL.identifier(table), model)
                    for table in ("mail_followers", "mail_activity", "ir_attachment")
                ),
            ]
            cr.execute(SQL("SELECT %s", SQL(", ").join(counts)))
            names = [*self.tables(model), *MAIL_TABLES]
            result = {"counts": dict(zip(names, cr.fetchone(), strict=True))}
            if record_id:
                table = self.registry[model]._table
                cr.execute(SQL("SELECT * FROM %s WHERE id = %s", SQL.identifier(table), record_id))
                result["row"] = cr.fetchone()
        return result


# --- the cases ---------------------------------------------------------------------


def _resolve(value, data, comodel=None):
    """Placeholders and "@key" references of the table, as ids."""
    if value == OTHER_COMPANY:
        return data["other_records"].get(comodel)
    if value == ARCHIVED:
        return data["archived"].get(comodel)
    if isinstance(value, str) and value.startswith("@"):
        return data[value[1:]]
    if isinstance(value, dict):
        return {k: _resolve(v, data) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, data) for v in value]
    if isinstance(value, tuple):
        return tuple(_resolve(v, data) for v in value)
    return value


def _create_values(model, data, n):
    """Valid create values of the model (the access matrix's), unique per case."""
    from test_access_matrix import TARGETS  # noqa: PLC0415

    if model in bad_input.CREATE_VALUES:
        return _resolve(bad_input.CREATE_VALUES[model](data, n), data)
    make = TARGETS[model][2]
    if make is None:
        return None
    return make(dict(data, tag=f"{data['tag']}x{n}"), "rep")


def _write_target(model, data):
    from test_access_matrix import TARGETS  # noqa: PLC0415

    if model in bad_input.WRITE_TARGETS:
        return data[bad_input.WRITE_TARGETS[model]]
    target = TARGETS[model][0]
    return target(None, data) if target else None


def _swept_fields(model, fields):
    """The fields of fields_get() that the sweep sends values to."""
    with committed_env() as env:
        Model = env[model]
        ours = is_sales_module(Model._original_module)
        names = []
        for name, description in fields.items():
            field = Model._fields.get(name)
            if (
                not field
                or description.get("readonly")
                or name.startswith(SKIPPED_PREFIXES)
                or (model, name) in bad_input.SKIP_FIELDS
                or description["type"] not in bad_input.BY_TYPE
            ):
                continue
            if ours or all(is_sales_module(module) for module in field._modules):
                names.append(name)
    return names


def generated_cases(model, data):
    """The cases of BY_TYPE and EMPTY for every swept field of the model."""
    client = data["manager"]
    fields = client.call(model, "fields_get", [], attributes=["type", "string", "required", "readonly", "relation"])
    record_id = _write_target(model, data)
    creatable = _create_values(model, data, 0) is not None
    cases = []
    swept = _swept_fields(model, fields)
    for name in swept:
        description = fields[name]
        ftype = description["type"]
        values = list(bad_input.BY_TYPE[ftype])
        if description.get("required") and ftype in bad_input.EMPTY_TYPES:
            values += [(kind, value, REFUSE) for kind, value in bad_input.EMPTY]
        for kind, value, expect in values:
            comodel = description.get("relation")
            if value in (OTHER_COMPANY, ARCHIVED):
                value = _resolve(value, data, comodel)
                if value is None:
                    continue
                if kind == "another company's record" and (model, name) in data["check_company"]:
                    expect = REFUSE
            expect = bad_input.OVERRIDES.get((model, name, kind), expect)
            case = {
                "model": model,
                "field": name,
                "ftype": ftype,
                "kind": kind,
                "value": value,
                "expect": expect,
                "names": [description["string"], name, *filter(None, [bad_input.RULES.get((model, name))])],
            }
            if record_id:
                cases.append(dict(case, op="write", record_id=record_id))
            if creatable and (not record_id or kind in bad_input.CREATE_KINDS):
                cases.append(dict(case, op="create"))
    assert cases or not swept, f"{model}: give it CREATE_VALUES or WRITE_TARGETS, or list it in NOT_SWEPT"
    return cases


def hand_cases(data):
    return [dict(case, value=_resolve(case["value"], data)) for case in bad_input.HAND]


def _classify(fault):
    if fault.faultCode == ACCESS_FAULT:
        return "refused: AccessError"
    if fault.faultCode == WARNING_FAULT:
        if "Record does not exist or has been deleted" in fault.faultString:
            return "refused: MissingError"
        return "refused: UserError or ValidationError"
    return "server error"


def _same_value(sent, read, ftype):
    if ftype == "many2one":
        return (read or [False])[0] == sent
    if ftype in ("many2many", "one2many") and not sent:
        return not read
    if ftype in ("float", "monetary", "integer"):
        return abs((read or 0) - (sent or 0)) < 1e-6
    return read == sent


def run_case(data, case, n):
    """Send one case; returns (outcome, failure message or None)."""
    client = data["clients"][case["as"]] if case.get("as") else data["manager"]
    model, op = case["model"], case["op"]
    snapshots = data["snapshots"]
    record_id = case.get("record_id")
    if isinstance(record_id, str):
        record_id = data[record_id.removeprefix("@")]
    before = snapshots.take(model, record_id)
    original = None
    try:
        if op == "write":
            if case.get("field"):
                with committed_env() as env:
                    original = env[model].browse(record_id).read([case["field"]])[0][case["field"]]
                values = {case["field"]: case["value"]}
            else:
                values = case["value"]
            result = client.call(model, "write", [record_id], values)
        elif op == "create":
            base = _create_values(model, data, n) or {}
            values = dict(base, **({case["field"]: case["value"]} if case.get("field") else case["value"]))
            result = client.call(model, "create", values)
        else:
            method, args, kwargs = case["value"]
            result = client.call(model, method, *args, **kwargs)
    except xmlrpc.client.Fault as fault:
        outcome = _classify(fault)
        text = fault.faultString
        after = snapshots.take(model, record_id)
        if after != before:
            changed = {t: (before["counts"][t], c) for t, c in after["counts"].items() if before["counts"][t] != c}
            return outcome, f"half-written: {changed or 'the record row changed'}"
        known = bad_input.KNOWN_CORE.get((model, case.get("field") or op, case["kind"]))
        if outcome == "server error" or any(word in text for word in ("Traceback", "psycopg2", "Error: ")):
            if known:
                return "known core behaviour", None
            return "server error", f"server error: {text[-600:]}"
        if case["expect"] == ACCEPT:
            return outcome, f"refused, but the value is legitimate: {text[:300]!r}"
        if not any(name.lower() in text.lower() for name in case["names"]):
            return outcome, f"the message names neither {case['names']}: {text[:300]!r}"
        return outcome, None
    if case["expect"] == REFUSE:
        return "accepted", f"accepted, but it must be refused (answer {str(result)[:100]})"
    if op in ("write", "create") and case.get("field"):
        target = record_id if op == "write" else result
        with committed_env() as env:
            read = env[model].browse(target).read([case["field"]])[0][case["field"]]
        if not _same_value(case["value"], read, case["ftype"]):
            return "accepted", f"stored {str(read)[:80]!r} instead of {str(case['value'])[:80]!r}"
        if op == "write":
            with committed_env() as env:
                restore = original[0] if case["ftype"] == "many2one" and original else original
                env[model].browse(record_id).write({case["field"]: restore})
    return "accepted", None


def _describe(case):
    value = repr(case.get("value"))
    return f"{case['op']} {case['model']}.{case.get('field') or ''} [{case['kind']}] {value[:60]}"


def _run(data, cases):
    """Send the cases one after the other: [(case, outcome, failure or None)]."""
    results = []
    for n, case in enumerate(cases):
        try:
            outcome, failure = run_case(data, case, n)
        except Exception as exc:  # noqa: BLE001 (reported as the case's failure)
            outcome, failure = "test error", f"{type(exc).__name__}: {str(exc)[:400]}"
        results.append((case, outcome, failure))
    return results


def _groups(snapshots, models):
    """The models in groups that share no table (counted by the snapshots):
    the groups run in parallel, each one's cases one after the other."""
    groups = []
    for model in models:
        tables = set(snapshots.tables(model))
        joined = [group for group in groups if group[1] & tables]
        for group in joined:
            groups.remove(group)
        groups.append(([m for g in joined for m in g[0]] + [model], tables.union(*(g[1] for g in joined))))
    return [group[0] for group in groups]


@pytest.fixture(scope="session")
def sweep_results(sweep):
    """The whole sweep, sent once: the generated cases of the models (groups of
    models sharing no table in parallel, one thread per prefork worker), then
    the hand-written cases one after the other. {model or "hand": results}."""

    def sweep_group(models):
        data = dict(sweep, manager=sweep["manager"].clone())
        data["clients"] = {role: client.clone() for role, client in sweep["clients"].items()}
        return {model: _run(data, generated_cases(model, data)) for model in models}

    results = {}
    with ThreadPoolExecutor(max_workers=PREFORK_WORKERS) as pool:
        for done in pool.map(sweep_group, _groups(sweep["snapshots"], swept_models())):
            results.update(done)
    results["hand"] = _run(sweep, hand_cases(sweep))
    return results


def _failures(results):
    failures = [f"{_describe(case)}: {failure}" for case, _outcome, failure in results if failure]
    return f"{len(failures)} of {len(results)} cases:\n" + "\n".join(failures)


@pytest.mark.parametrize("model", swept_models())
def test_generated_bad_values(sweep_results, model):
    """Every swept field of the model, with the values of BY_TYPE."""
    results = sweep_results[model]
    if not results:
        pytest.skip(f"the addons add no field to {model} that an integration writes")
    assert not any(failure for _case, _outcome, failure in results), _failures(results)


def test_hand_written_cases(sweep_results):
    """The rules of the models and the methods integrations call."""
    results = sweep_results["hand"]
    assert not any(failure for _case, _outcome, failure in results), _failures(results)


def summary(results):
    outcomes = Counter(outcome for _case, outcome, _failure in results)
    return {"cases": len(results), **dict(sorted(outcomes.items()))}


def test_summary_and_server_log(sweep, sweep_results):
    """The answers of the whole sweep are those recorded in the table (and in
    docs/bad_input.md), and the server logged no error while it ran (but the
    failed statements of the SQL constraints, see below). Every answer goes to
    .local/log/<db>.bad_input.txt."""
    results = [result for model_results in sweep_results.values() for result in model_results]
    got = summary(results)
    with open(ROOT / ".local" / "log" / f"{db_name()}.bad_input.txt", "w", encoding="utf-8") as out:
        for case, outcome, failure in results:
            out.write(f"{outcome}: {_describe(case)}{' FAILED ' + failure if failure else ''}\n")
    assert got == bad_input.SUMMARY, f"the sweep gave {got}; the table records {bad_input.SUMMARY}"
    known = got.get("known core behaviour", 0)
    errors = server_errors(_unexpected_log_entries(sweep["server"].log_since(sweep["log_mark"]), known))
    assert not errors, "the server logged errors during the sweep:\n" + "\n".join(errors[:20])


def _unexpected_log_entries(lines, known):
    """The log without the errors the sweep expects: the "bad query" errors of
    a CHECK or UNIQUE constraint of ``_sql_constraints`` (core Odoo logs the
    failed statement as an ERROR, then answers the client the constraint's
    message as a ValidationError, asserted by the cases), and one ValueError
    traceback per case of known core behaviour. Every other entry stays."""
    kept, entry = [], []
    for line in [*lines, "0000-00-00 00:00:00,000 end"]:
        if line[:4].isdigit() and entry:
            text = "\n".join(entry)
            constraint = "odoo.sql_db: bad query" in text and (
                "violates check constraint" in text or "violates unique" in text
            )
            core = "Exception during request handling" in text and "\nValueError: " in text and known > 0
            known -= core
            if not (constraint or core):
                kept += entry
            entry = []
        entry.append(line)
    return kept
