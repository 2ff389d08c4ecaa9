"""The bad-input sweep: what an integration may send wrong, and what it must get back.

``tests/test_bad_input_sweep.py`` sends every case below over XML-RPC to the real
(prefork) server and asserts its answer; ``scripts/gen_access_matrix.py`` prints
this table, with the recorded ``SUMMARY``, into ``docs/bad_input.md``.

The generated cases come from ``fields_get()`` of every model of the access
matrix (``tests/access_matrix.py``) that an integration creates or writes: a
model that joins the matrix is swept at once. For a model of the addons every
writable field is swept; for a core model (``sale.order``, ``res.partner``,
``crm.team``...) the fields the addons add. ``BY_TYPE`` lists the values sent
for each field type, with the answer they must get:

- ``accept``: the value is legitimate and must be stored exactly (read back);
- ``refuse``: a clean fault (``UserError``, ``ValidationError``, ``AccessError``
  or ``MissingError``) whose message names the field (label or technical name);
- ``either``: legitimate for some fields, not for others (a negative amount, an
  archived record): a success stored exactly, or a clean fault naming the field.

``HAND`` adds the cases of the rules (recursive parents, positive amounts,
codes...) and of the public methods an integration calls. Whatever the answer,
nothing is half-written: a refused call leaves the row counts of the model and
of the tables it touches, and the record's row, as they were.
"""

NO_SUCH_ID = 2**31 - 1
LONG_TEXT = "long text " + "x" * (10_000 - 10)
MIXED_SCRIPTS = "Zoë Ægir 🚀👍🏽 客户满意 Клиент عميل Ελλάδα ✓ — ½"
MIXED_HTML = f"<p>{MIXED_SCRIPTS}</p>"
LONG_HTML = f"<p>{LONG_TEXT}</p>"

ACCEPT, REFUSE, EITHER = "accept", "refuse", "either"

# Placeholders the test replaces by ids: another company's record and an archived
# record of the field's comodel (cases are skipped for comodels without one).
OTHER_COMPANY = "<other company's record>"
ARCHIVED = "<archived record>"

# field type -> [(kind, value, answer)]; on fields with check_company=True the
# other company's record must be refused, elsewhere it is "either".
_TEXT = [
    ("list for text", ["a", "b"], REFUSE),
    ("10k chars", LONG_TEXT, ACCEPT),
    ("emoji and mixed scripts", MIXED_SCRIPTS, ACCEPT),
]
_NUMBER = [
    ("text for number", "12 apples", REFUSE),
    ("negative", -1, EITHER),
    ("zero", 0, EITHER),
]
_DATE = [
    ("month 13, day 45", "2026-13-45", REFUSE),
    ("day first", "31/12/2026", REFUSE),
]
BY_TYPE = {
    "char": _TEXT,
    "text": _TEXT,
    "html": [
        ("list for text", ["a", "b"], REFUSE),
        ("10k chars", LONG_HTML, ACCEPT),
        ("emoji and mixed scripts", MIXED_HTML, ACCEPT),
    ],
    "integer": _NUMBER,
    "float": _NUMBER,
    "monetary": _NUMBER,
    "boolean": [("text for boolean", "no", REFUSE)],
    "selection": [("unknown value", "no_such_value", REFUSE)],
    "date": _DATE,
    "datetime": [*_DATE, ("hour 25", "2026-12-31 25:00:00", REFUSE)],
    "many2one": [
        ("text for id", "abc", REFUSE),
        ("[id, name] pair", [1, "name"], REFUSE),
        ("id that does not exist", NO_SUCH_ID, REFUSE),
        ("another company's record", OTHER_COMPANY, EITHER),
        ("archived record", ARCHIVED, EITHER),
    ],
    "many2many": [
        ("text for ids", "abc", REFUSE),
        ("ids that do not exist", [(6, 0, [NO_SUCH_ID])], REFUSE),
        ("malformed command", [(99, 0, 0)], REFUSE),
    ],
    "one2many": [
        ("text for ids", "abc", REFUSE),
        ("malformed command", [(99, 0, 0)], REFUSE),
    ],
}
# Empty values sent to required fields (booleans and numbers excepted: False and 0
# are values there).
EMPTY = [("None for required", None), ("False for required", False)]
EMPTY_TYPES = {"char", "text", "html", "selection", "date", "datetime", "many2one", "many2many"}
# On create, only these kinds are sent (the full set goes to write of the
# model's record); models without a record to write (wizards) get the full set.
CREATE_KINDS = {"None for required", "False for required", "text for id", "text for number", "unknown value"}

# Models of the matrix an integration never creates nor writes (read-only
# reports, records the server keeps), with the reason; every other model of the
# matrix is swept.
NOT_SWEPT = {
    "sales.customer.class.history": "written by the classification only (no role creates or writes it)",
    "sales.distribution.member": "lines of the distribution wizard, swept through the wizard's member_ids",
    "osb.credit.exposure": "stored by the server from the documents (no role writes it)",
    "osb.credit.rating": "the monthly snapshot, made by the cron",
    "osb.credit.rating.line": "lines of the monthly snapshot, made by the cron",
    "osb.credit.aging": "report (SQL view)",
    "osb.credit.exposure.queue": "technical rows of the server",
    "osb.credit.serial": "technical rows of the server",
    "sales.kpi.fact": "report table, written by refresh and rebuild only",
    "sales.kpi.target.report": "report (SQL view)",
    "osb.credit.release": "created for an order on credit hold only: its cases are in HAND",
    "osb.credit.review": "changes through its actions only (no role writes it): its cases are in HAND",
    "sales.visit.compliance": "report (SQL view)",
    "osb.replenishment": "report (SQL view)",
    "osb.replenishment.line": "report (SQL view)",
    "osb.order.step": "written by the timeline's stamping only; its manual ticks (sale.order) are in HAND",
    "osb.quota.transfer": "ledger moves, never written; created from two allocations: its cases are in HAND",
    "osb.quota.release": "created for an order on quota hold only: its cases are in HAND",
    "osb.quota.report": "report (SQL query)",
    "osb.pop.budget.report": "report (SQL query)",
    "osb.pop.budget.transfer": "ledger moves, never written; created from two budgets: its cases are in HAND",
    "sales.scorecard": "made by the monthly run (generate_month), changed through its review: cases in HAND",
    "sales.scorecard.line": "made by the monthly run; reviewers write the points given and a note: cases in HAND",
    "sales.pay.standard": "pay data of HR and payroll (no role of the matrix writes it): cases in "
    "tests/test_sales_kpi_pay_rpc.py",
    "sales.pay.formula": "pay data of HR and payroll (no role of the matrix writes it)",
    "sales.incentive.rule": "pay data of HR and payroll (no role of the matrix writes it): cases in "
    "tests/test_sales_kpi_pay_rpc.py",
    "sales.pay.run": "made by the pay run (compute_month), changed through its review only",
    "sales.pay.line": "made by the pay run only, never written",
    "sales.promotion.proposal": "made by the monthly evaluation, decided through its approval: cases in HAND",
    "sales.promotion.evidence": "the months of a proposal, written by the evaluation only: cases in HAND",
}

# Valid create values of a model, where the access matrix's (TARGETS of
# tests/test_access_matrix.py) do not fit: model -> f(data, n) (n: the case's number).
CREATE_VALUES = {
    "osb.issue": lambda d, n: {
        "title": f"Bad-input issue {n}",
        "department_id": d["issue_department_id"],
        "owner_id": d["rep_id"],
    },
    "osb.issue.department": lambda d, n: {"name": f"Bad-input department {n}"},
    "osb.quota": lambda d, n: {
        "holder_type": "customer",
        "partner_id": "@customer_id",
        "product_id": "@product_id",
        "date_from": "2030-02-01",
        "date_to": "2030-02-28",
        "quantity": 1.0,
    },
    "osb.pop.budget": lambda d, n: {
        "holder_type": "customer",
        "partner_id": "@customer_id",
        "date_from": "2030-02-01",
        "date_to": "2030-02-28",
        "amount": 1.0,
    },
    "osb.pop.issue": lambda d, n: {"holder_type": "customer", "partner_id": "@customer_id"},
    "osb.pop.issue.line": lambda d, n: {"issue_id": "@pop_issue_id", "product_id": "@pop_product_id", "quantity": 1.0},
}
# The record a model's write cases act on, where the matrix has none: model -> data key.
WRITE_TARGETS = {
    "sales.work.report.score": "score_line_id",  # a line of a submitted weekly report
}

# Fields not swept, with the reason.
SKIP_FIELDS = {
    # parent_path is maintained by the ORM (_parent_store): writing it is not an input
    ("crm.team", "parent_path"): "kept by the ORM (parent store)",
    ("sales.kpi.target.line", "parent_path"): "kept by the ORM (parent store)",
}

# Generated cases whose answer differs from BY_TYPE's, with the reason:
# (model, field, kind) -> answer.
OVERRIDES = {
    # KPI codes: letters, digits and underscores only (the rule names the code)
    ("sales.kpi", "code", "10k chars"): REFUSE,
    ("sales.kpi", "code", "emoji and mixed scripts"): REFUSE,
    # Odoo does not enforce required on a many2many server-side: the wizard is
    # created empty, and its action has nothing to do
    ("sales.customer.class.set", "partner_ids", "None for required"): EITHER,
    ("sales.customer.class.set", "partner_ids", "False for required"): EITHER,
    ("osb.credit.release.wizard", "order_ids", "None for required"): EITHER,
    ("osb.credit.release.wizard", "order_ids", "False for required"): EITHER,
    # an OSB step's code is what the stamping hooks name: it never changes (the refusal names the code)
    ("osb.step", "code", "10k chars"): REFUSE,
    ("osb.step", "code", "emoji and mixed scripts"): REFUSE,
}

# Fields whose rule answers in its own words: (model, field) -> what the message
# says instead of the field's label (a refusal must name the field or this rule).
RULES = {
    ("sales.role", "max_order_amount"): "maximum order amount cannot be negative",
    ("sales.role", "max_discount"): "maximum discount must be between 0 and 100",
    ("sales.role", "max_expense_amount"): "maximum expense amount cannot be negative",
    ("osb.credit.policy", "new_customer_limit"): "new-customer credit limit cannot be negative",
    ("osb.credit.policy", "new_customer_months"): "new-customer period cannot be negative",
    **{
        ("osb.credit.policy", f"grade_{grade}_min"): "grade thresholds must decrease from A to D and not be negative"
        for grade in "abcd"
    },
    ("sales.kpi.target.line", "proposed_target"): "a target must not be negative",
    ("sales.kpi.target.line", "target"): "a target must not be negative",
    ("sales.kpi.target.plan", "root_value"): "must not be negative",
    ("crm.team", "parent_id"): "cannot be placed under",
    ("sales.scorecard.template", "kpi_weight"): "weights of the template",
    ("sales.scorecard.template", "daily_work_weight"): "weights of the template",
    ("sales.scorecard.template", "attendance_weight"): "weights of the template",
    ("sales.scorecard.template", "absence_penalty"): "points per absent day",
}

# Cases whose unclean answer is core Odoo's behaviour: (model, field or method,
# kind) -> why. Counted apart in the summary; nothing may be half-written.
KNOWN_CORE = {
    ("sale.order", "write", "core field: order date written day first"): "the ORM raises ValueError (strptime)",
    ("crm.lead", "write", "core field: unknown type"): "the ORM raises ValueError (Wrong value for crm.lead.type)",
    ("crm.lead", "write", "core field: deadline written day first"): "the ORM raises ValueError (strptime)",
}


# Hand-written cases: the rules of the models and the methods integrations call.
# op "write": (record key, values); "create": values (merged into the model's
# valid create values); "call": (method, args, kwargs). Values may name data
# keys of the test's fixture as "@key". "names": what the message must contain
# (any of them).
def _hand(model, op, kind, value, names, record=None, expect=REFUSE, role=None):
    return {
        "model": model,
        "op": op,
        "kind": kind,
        "value": value,
        "names": names,
        "record_id": record,
        "expect": expect,
        "as": role,
        "field": None,
        "ftype": None,
    }


def _call(model, method, kind, args, names, kwargs=None, expect=REFUSE, role=None):
    return _hand(model, "call", kind, (method, args, kwargs or {}), names, expect=expect, role=role)


_MISSING = ["Record does not exist or has been deleted"]
_RELEASE = {"order_id": "@held_order_id", "reason": "Bad-input sweep"}
_QUOTA = {
    "holder_type": "customer",
    "partner_id": "@customer_id",
    "product_id": "@product_id",
    "date_from": "2030-01-01",
    "date_to": "2030-01-31",
    "quantity": 1.0,
}
_TRANSFER = {"from_quota_id": "@quota_id", "to_quota_id": "@quota2_id", "quantity": 1.0, "reason": "Bad-input sweep"}
_RETURN_LINE = {"product_id": "@return_product_id", "quantity": 1.0, "reason": "quality"}
_POP_BUDGET = {
    "holder_type": "customer",
    "partner_id": "@customer_id",
    "date_from": "2030-01-01",
    "date_to": "2030-01-31",
    "amount": 1.0,
}
_POP_TRANSFER = {
    "from_budget_id": "@pop_budget_id",
    "to_budget_id": "@pop_budget2_id",
    "amount": 1.0,
    "reason": "Bad-input sweep",
}
HAND = [
    # recursive parents
    _hand("crm.team", "write", "parent under its own sub-team", {"parent_id": "@team_u_id"}, ["cycle"], "@team_a_id"),
    _hand("crm.team", "write", "parent is the team itself", {"parent_id": "@team_u_id"}, ["cycle"], "@team_u_id"),
    _hand(
        "crm.team",
        "write",
        "parent of another company",
        {"parent_id": "@other_team_id"},
        ["another company"],
        "@team_u_id",
    ),
    _hand(
        "sales.kpi.target.line",
        "write",
        "parent is the line itself",
        {"parent_id": "@target_line_id"},
        ["recursi", "parent"],
        "@target_line_id",
    ),
    _hand(
        "sales.kpi.target.line",
        "write",
        "parent under its own child",
        {"parent_id": "@target_child_id"},
        ["recursi", "parent"],
        "@target_line_id",
    ),
    # positive amounts and ranges the rules ask for
    _hand("sales.role", "write", "discount above 100 %", {"max_discount": 150.0}, ["between 0 and 100"], "@role_id"),
    _hand(
        "sales.kpi.target.line",
        "write",
        "negative target",
        {"target": -5.0},
        ["must not be negative"],
        "@target_line_id",
    ),
    _hand("sales.kpi.target.plan", "create", "fiscal year 0", {"fiscal_year": 0}, ["fiscal year"]),
    _hand(
        "sales.work.report.score",
        "write",
        "score above the item's points",
        {"score": 999.0},
        ["scores from 0 to"],
        "@score_line_id",
    ),
    _hand(
        "res.partner", "write", "negative credit limit", {"credit_limit": -1.0}, ["cannot be negative"], "@customer_id"
    ),
    _hand(
        "crm.team.member",
        "write",
        "membership ending before it starts",
        {"date_start": "2026-12-31", "date_end": "2026-01-01"},
        ["date"],
        "@member_id",
    ),
    # the OSB timeline: a manual step ticked by its code
    _call(
        "sale.order",
        "action_osb_tick_step",
        "tick: unknown step code",
        [["@order_id"], "sp_teleported"],
        ["no active OSB step"],
    ),
    _call(
        "sale.order",
        "action_osb_tick_step",
        "tick: step code of the wrong type",
        [["@order_id"], 42],
        ["no active OSB step"],
    ),
    _call(
        "sale.order",
        "action_osb_tick_step",
        "tick: an automatic step",
        [["@order_id"], "op_confirmed"],
        ["cannot be ticked by hand"],
    ),
    _hand("osb.step", "write", "step code changed", {"code": "op_renamed"}, ["Code"], "@step_id"),
    _hand("osb.step", "write", "negative SLA", {"sla_hours": -4.0}, ["SLA (Working Hours)"], "@step_id"),
    # credit releases: for an order on credit hold only
    *[
        _hand("osb.credit.release", "create", kind, dict(_RELEASE, **values), names)
        for kind, values, names in [
            ("order: text for id", {"order_id": "abc"}, ["order_id"]),
            ("order: id that does not exist", {"order_id": NO_SUCH_ID}, ["order_id"]),
            ("order: another company's order", {"order_id": "@other_order_id"}, ["order"]),
            ("order: not on credit hold", {"order_id": "@order_id"}, ["not on credit hold"]),
            ("order: none", {"order_id": False}, ["order"]),
            ("amount: text", {"released_amount": "abc"}, ["released_amount"]),
            ("amount: negative", {"released_amount": -100.0}, ["amount"]),
            ("valid until: day first", {"valid_until": "31/12/2026"}, ["valid_until"]),
            ("valid until: month 13", {"valid_until": "2026-13-45"}, ["valid_until"]),
            ("reason: none", {"reason": None}, ["reason"]),
            ("reason: list", {"reason": ["a", "b"]}, ["reason"]),
        ]
    ],
    _call(
        "osb.credit.release.wizard", "action_release", "wizard that does not exist", [[NO_SUCH_ID]], ["on credit hold"]
    ),
    # quotas (配额): one product or category, a period, a holder; transfers within what is available
    *[
        _hand("osb.quota", "create", kind, dict(_QUOTA, **values), names)
        for kind, values, names in [
            ("both product and category", {"categ_id": "@product_categ_id"}, ["Product Category"]),
            ("no period", {"date_from": False, "date_to": False}, ["date_from"]),
            ("end before start", {"date_to": "2029-12-31"}, ["Period"]),
            ("negative quantity", {"quantity": -1.0}, ["Allocated Quantity"]),
            ("team quota without team", {"holder_type": "team", "partner_id": False}, ["Team"]),
            ("children above the parent", {"parent_id": "@quota_id", "quantity": 6.0}, ["Parent Allocation"]),
        ]
    ],
    *[
        _hand("osb.quota.transfer", "create", kind, dict(_TRANSFER, **values), names)
        for kind, values, names in [
            ("negative quantity", {"quantity": -1.0}, ["Quantity"]),
            ("zero quantity", {"quantity": 0.0}, ["Quantity"]),
            ("more than available", {"quantity": 1000.0}, ["Quantity", "available"]),
            ("no reason", {"reason": ""}, ["Reason"]),
            ("to itself", {"to_quota_id": "@quota_id"}, ["To Allocation"]),
            ("source that does not exist", {"from_quota_id": NO_SUCH_ID}, ["from_quota_id"]),
        ]
    ],
    _hand(
        "osb.quota.release",
        "create",
        "order not on quota hold",
        {"order_id": "@order_id", "reason": "Bad-input sweep"},
        ["not on quota hold"],
    ),
    _hand("osb.quota.release", "create", "no order", {"order_id": False, "reason": "Bad-input sweep"}, ["order"]),
    _call("osb.credit.review", "action_approve", "review that does not exist", [[NO_SUCH_ID]], _MISSING),
    _call("osb.credit.review", "action_reject", "review that does not exist", [[NO_SUCH_ID]], _MISSING),
    _call("res.partner", "osb_credit_breakdown", "customer that does not exist", [[NO_SUCH_ID]], _MISSING),
    # order confirmation and approval
    _call("sale.order", "action_confirm", "order that does not exist", [[NO_SUCH_ID]], _MISSING),
    _call("sale.order", "action_approval_approve", "order not waiting for approval", [["@order_id"]], ["not waiting"]),
    _call(
        "sale.order",
        "action_approval_reject",
        "order not waiting for approval",
        [["@order_id"]],
        ["not waiting"],
        {"reason": "Bad input"},
    ),
    _call(
        "sale.order", "action_approval_reject", "reason: a list", [["@order_id"]], ["not waiting"], {"reason": ["a"]}
    ),
    # daily work
    _call("sales.complaint", "action_resolve", "resolve without resolution", [["@complaint_id"]], ["resolution"]),
    _call("sales.complaint", "action_start", "complaint that does not exist", [[NO_SUCH_ID]], _MISSING),
    _call("sales.visit", "action_done", "visit that does not exist", [[NO_SUCH_ID]], _MISSING),
    _call("sales.work.report", "action_review", "review a draft", [["@work_report_id"]], ["not waiting"]),
    _call(
        "sales.work.report",
        "action_return",
        "return a draft",
        [["@work_report_id"]],
        ["not waiting"],
        {"reason": "Bad input"},
    ),
    _call(
        "res.partner", "action_sales_set_class", "class: text for id", [["@customer_id"], "abc", "Bad input"], ["class"]
    ),
    _call(
        "res.partner",
        "action_sales_set_class",
        "class that does not exist",
        [["@customer_id"], NO_SUCH_ID, "Bad input"],
        ["class"],
    ),
    _call(
        "res.partner",
        "action_sales_set_class",
        "class of another company",
        [["@customer_id"], "@other_class_id", "Bad input"],
        ["compan"],
    ),
    _call(
        "res.partner", "action_sales_set_class", "no reason", [["@customer_id"], "@customer_class_id", ""], ["reason"]
    ),
    _call(
        "sales.distribution.wizard",
        "action_assign",
        "wizard that does not exist",
        [[NO_SUCH_ID]],
        ["choose who the records go to"],
    ),
    # the wizard takes any cap; its preview and assignment refuse a negative one
    _hand("sales.distribution.wizard", "create", "negative cap", {"cap": -1}, ["cap"], expect=EITHER),
    # KPIs: codes, owners and periods
    _call(
        "sales.kpi",
        "compute_values_by_code",
        "unknown KPI code",
        [["NO_SUCH_KPI"], "user", [1], ["2026"]],
        ["Unknown KPI code"],
    ),
    _call(
        "sales.kpi", "compute_values_by_code", "unknown owner type", [["@kpi_code"], "bogus", [1], ["2026"]], ["owner"]
    ),
    _call(
        "sales.kpi", "compute_values_by_code", "owner ids: text", [["@kpi_code"], "user", ["abc"], ["2026"]], ["owner"]
    ),
    _call(
        "sales.kpi", "compute_values_by_code", "period: month 13", [["@kpi_code"], "user", [1], ["2026-13"]], ["period"]
    ),
    _call(
        "sales.kpi",
        "compute_values_by_code",
        "period: day first",
        [["@kpi_code"], "user", [1], ["31/12/2026"]],
        ["period"],
    ),
    _call("sales.kpi", "compute_values_by_code", "periods: a number", [["@kpi_code"], "user", [1], 2026], ["period"]),
    _call("sales.kpi.fact", "rebuild", "date: month 13", ["2026-13-45", "2026-12-31"], ["date_from"]),
    _call("sales.kpi.fact", "rebuild", "date: day first", ["31/12/2026", "2026-12-31"], ["date"]),
    _call("sales.kpi.fact", "rebuild", "end before start", ["2026-12-31", "2026-01-01"], ["date"]),
    _call("sales.kpi.target.plan", "action_publish", "plan that does not exist", [[NO_SUCH_ID]], _MISSING),
    _call("sales.kpi.target.line", "action_allocate_children", "line that does not exist", [[NO_SUCH_ID]], _MISSING),
    # core fields keep core Odoo's answers (KNOWN_CORE): nothing is written either
    _hand(
        "sale.order",
        "write",
        "core field: order date written day first",
        {"date_order": "31/12/2026"},
        ["date_order"],
        "@order_id",
    ),
    # scorecards: the template's weights, the curves, the rubric points, the month
    _hand(
        "sales.scorecard.template",
        "create",
        "weights summing to 90 %",
        {"daily_work_weight": 60, "attendance_weight": 30},
        ["sum to 90 %, not 100 %"],
    ),
    _hand(
        "sales.scorecard.template.line",
        "create",
        "KPI line: weights of the template summing to 50 %",
        {"line_type": "kpi", "kpi_id": "@kpi_id", "weight": 50, "threshold": 1, "target": 10, "stretch": 20},
        ["sum to 50 %, not 100 %"],
    ),
    _hand(
        "sales.scorecard.template.line",
        "create",
        "KPI line: stretch below the target",
        {"line_type": "kpi", "kpi_id": "@kpi_id", "weight": 100, "threshold": 1, "target": 10, "stretch": 5},
        ["stretch of"],
    ),
    _hand(
        "sales.scorecard.template.line",
        "create",
        "KPI line: threshold above the target",
        {"line_type": "kpi", "kpi_id": "@kpi_id", "weight": 100, "threshold": 20, "target": 10, "stretch": 30},
        ["threshold of"],
    ),
    _hand(
        "sales.scorecard.template.line",
        "create",
        "KPI line: negative points on a count",
        {"line_type": "kpi", "kpi_id": "@count_kpi_id", "weight": 100, "threshold": -5, "target": 0, "stretch": 5},
        ["cannot be negative"],
    ),
    _hand(
        "sales.scorecard.template.line",
        "create",
        "KPI line: cap below 100",
        {
            "line_type": "kpi",
            "kpi_id": "@kpi_id",
            "weight": 100,
            "threshold": 1,
            "target": 10,
            "stretch": 20,
            "cap_score": 90,
        },
        ["cap"],
    ),
    _hand(
        "sales.scorecard.line",
        "write",
        "rubric score above its points",
        {"rubric_score": 11.0},
        ["from 0 to its 10 points"],
        "@rubric_card_line_id",
    ),
    _hand(
        "sales.scorecard.line",
        "write",
        "negative rubric score",
        {"rubric_score": -1.0},
        ["from 0 to its 10 points"],
        "@rubric_card_line_id",
    ),
    _hand(
        "sales.scorecard.line",
        "write",
        "text for the rubric score",
        {"rubric_score": "ten"},
        ["rubric_score", "Points Given"],
        "@rubric_card_line_id",
    ),
    _hand("sales.scorecard.line", "write", "note", {"note": MIXED_SCRIPTS}, [], "@rubric_card_line_id", ACCEPT),
    _hand(
        "sales.scorecard.line",
        "write",
        "computed actual",
        {"actual": 5.0},
        ["only the points given and the note"],
        "@rubric_card_line_id",
    ),
    _hand("sales.scorecard", "write", "note", {"note": MIXED_SCRIPTS}, [], "@scorecard_id", ACCEPT),
    _hand(
        "sales.scorecard",
        "write",
        "computed absent days",
        {"absent_days": 0},
        ["only its note"],
        "@scorecard_id",
    ),
    _hand("sales.scorecard", "create", "one scorecard by hand", {}, ["Generate Scorecards"]),
    _call("sales.scorecard", "generate_month", "month 13", ["2026-13"], ["2026-13"]),
    _call("sales.scorecard", "generate_month", "month as a number", [202603], ["202603"]),
    _hand("crm.lead", "write", "core field: unknown type", {"type": "bogus"}, ["type"], "@lead_id"),
    _hand(
        "crm.lead",
        "write",
        "core field: deadline written day first",
        {"date_deadline": "31/12/2026"},
        ["date_deadline"],
        "@lead_id",
    ),
    # customer returns (退货): lines of the order's goods, capped at what was delivered less what was returned
    *[
        _hand(
            "osb.return",
            "create",
            kind,
            {"order_id": "@return_order_id", "line_ids": [[0, 0, dict(_RETURN_LINE, **values)]]},
            names,
        )
        for kind, values, names in [
            ("negative quantity", {"quantity": -1.0}, ["Quantity", "must be positive"]),
            ("zero quantity", {"quantity": 0.0}, ["Quantity", "must be positive"]),
            ("more than delivered", {"quantity": 1000.0}, ["Quantity", "can still be returned", "delivered 100"]),
            ("product not on the order", {"product_id": "@product_id"}, ["Product", "is not on the order"]),
            ("unknown reason", {"reason": "broken"}, ["reason"]),
        ]
    ],
    _hand("osb.return", "create", "no order", {"order_id": False, "line_ids": []}, ["Source Order"]),
    _hand("osb.return", "create", "a quotation as source", {"order_id": "@order_id"}, ["Source Order"]),
    _hand("osb.return", "write", "state written", {"state": "refunded"}, ["status of a return"], "@return_id"),
    _hand("osb.return.line", "write", "negative quantity", {"quantity": -3.0}, ["Quantity"], "@return_line_id"),
    _hand(
        "osb.return.line", "write", "above the cap", {"quantity": 1000.0}, ["can still be returned"], "@return_line_id"
    ),
    _call("osb.return", "action_approve", "return not submitted", [["@return_id"]], ["not waiting"]),
    _call("osb.return", "action_submit", "return that does not exist", [[NO_SUCH_ID]], _MISSING),
    # POP materials (POP 物料): a budget has a period and a non-negative amount; an issue POP products only
    *[
        _hand("osb.pop.budget", "create", kind, dict(_POP_BUDGET, **values), names)
        for kind, values, names in [
            ("negative amount", {"amount": -1.0}, ["Allocated Amount"]),
            ("no period", {"date_from": False, "date_to": False}, ["date_from"]),
            ("end before start", {"date_to": "2029-12-31"}, ["Period"]),
            ("team budget without team", {"holder_type": "team", "partner_id": False}, ["Team"]),
        ]
    ],
    *[
        _hand("osb.pop.budget.transfer", "create", kind, dict(_POP_TRANSFER, **values), names)
        for kind, values, names in [
            ("negative amount", {"amount": -1.0}, ["Amount"]),
            ("more than remaining", {"amount": 100000.0}, ["Amount", "remaining"]),
            ("no reason", {"reason": ""}, ["Reason"]),
            ("to itself", {"to_budget_id": "@pop_budget_id"}, ["To Budget"]),
        ]
    ],
    _hand(
        "osb.pop.issue.line",
        "create",
        "a product that is not POP",
        {"issue_id": "@pop_issue_id", "product_id": "@product_id", "quantity": 1.0},
        ["Product", "not a POP material"],
    ),
    _hand("osb.pop.issue", "write", "state by hand", {"state": "done"}, ["through its buttons"], "@pop_issue_id"),
    # the OSB issue log: resolving needs a resolution, an issue keeps its owner
    _call("osb.issue", "action_resolve", "resolve without a resolution", [["@issue_id"]], ["Resolution"]),
    _hand("osb.issue", "write", "clear the owner", {"owner_id": False}, ["Owner"], "@issue_id"),
    # ranks: the criteria (N of M months, thresholds), the dated history, proposals made by the evaluation
    _hand(
        "sales.rank",
        "create",
        "more months over the threshold than the window",
        {"months_required": 5, "window_months": 4},
        ["Months Over Threshold (5) cannot exceed Window (Months) (4)"],
    ),
    _hand(
        "sales.rank",
        "write",
        "negative threshold",
        {"sales_threshold": -1.0},
        ["Monthly Sales Threshold"],
        "@rank_kam_id",
    ),
    _hand(
        "sales.rank",
        "write",
        "subordinate rank of another ladder",
        {"subordinate_rank_id": "@other_ladder_rank_id"},
        ["Subordinate Rank"],
        "@rank_kam_id",
    ),
    _hand(
        "sales.rank.history",
        "create",
        "a second rank of the ladder in the same period",
        {"user_id": "@rep_id", "rank_id": "@rank_kam_id", "date_start": "2030-06-01"},
        ["cannot overlap"],
    ),
    _hand(
        "sales.rank.history",
        "write",
        "end before the start",
        {"date_end": "2029-12-31"},
        ["End Date"],
        "@rank_history_id",
    ),
    _hand("sales.promotion.proposal", "create", "one proposal by hand", {}, ["Promotion Proposal"]),
    _hand("sales.promotion.proposal", "write", "note", {"note": MIXED_SCRIPTS}, [], "@proposal_id", ACCEPT),
    _hand(
        "sales.promotion.proposal",
        "write",
        "computed months over the threshold",
        {"months_met": 12},
        ["only its effective date and note"],
        "@proposal_id",
    ),
    _hand(
        "sales.promotion.proposal",
        "write",
        "state approved by hand",
        {"state": "approved"},
        ["only its effective date and note"],
        "@proposal_id",
    ),
    _hand(
        "sales.promotion.proposal",
        "write",
        "effective date day first",
        {"effective_date": "01/02/2030"},
        ["effective_date", "Effective Date"],
        "@proposal_id",
    ),
    _hand(
        "sales.promotion.evidence",
        "write",
        "evidence by hand",
        {"amount": 1.0},
        ["Promotion Evidence"],
        "@proposal_evidence_id",
    ),
    _call("sales.promotion.proposal", "evaluate_month", "month 13", ["2026-13"], ["2026-13"]),
    _call(
        "sales.promotion.proposal",
        "evaluate_month",
        "company that does not exist",
        ["2026-01", NO_SUCH_ID],
        ["company"],
    ),
]

# The answers of the last reviewed run: the test asserts the run gives the same
# (update it, then run scripts/gen_access_matrix.py, when a model or a field joins).
SUMMARY = {
    "cases": 1772,
    "accepted": 261,
    "refused: AccessError": 16,
    "refused: MissingError": 9,
    "refused: UserError or ValidationError": 1483,
    "known core behaviour": 3,
}
