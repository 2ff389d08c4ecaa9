"""What docs/ tells an integrator exists in the code: every selection value listed
in a "Selection values" table, and every group XML id named."""

import re

import pytest

from conftest import ROOT, committed_env

PAGES = sorted((ROOT / "docs").glob("*.md"))
ROW = re.compile(r"^\|\s*`([a-z_.]+)`\s*\|\s*`([a-z_]+)`\s*\|\s*((?:`[^`]+`(?:,\s*)?)+)\s*\|\s*$")
GROUP = re.compile(r"`((?:sales_team|sales_team_mgmt|osb_credit|sales_kpi)\.group_[a-z_]+)`")


def selection_rows():
    rows = []
    for page in PAGES:
        for line in page.read_text(encoding="utf-8").splitlines():
            match = ROW.match(line)
            if match:
                values = re.findall(r"`([^`]+)`", match.group(3))
                rows.append(pytest.param(match.group(1), match.group(2), values, id=f"{page.name}:{match.group(2)}"))
    return rows


def test_the_docs_list_selection_values():
    assert len(selection_rows()) >= 15, "the selection tables of docs/ were not found"


@pytest.mark.parametrize(("model", "field", "values"), selection_rows())
def test_documented_selection_values_exist(model, field, values):
    with committed_env() as env:
        selection = env[model]._fields[field]._description_selection(env)
        keys = [key for key, _label in selection]
    # Every documented value exists, and the built-in ones are all documented
    # (the test module adds a KPI source of its own).
    assert set(values) <= set(keys), set(values) - set(keys)
    assert set(keys) - set(values) <= {"seams_embargo_holds"}, set(keys) - set(values)


def test_documented_group_xml_ids_exist():
    names = sorted({name for page in PAGES for name in GROUP.findall(page.read_text(encoding="utf-8"))})
    assert len(names) >= 8
    with committed_env() as env:
        missing = [name for name in names if not env.ref(name, raise_if_not_found=False)]
    assert not missing
