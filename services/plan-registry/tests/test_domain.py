"""Domain rules without a database: hierarchy, fiscal years, diff, completeness."""

import pytest
from hypothesis import given, settings, strategies as st

from dgplan_shared.problems import ProblemError

from plan_registry.domain.completeness import completeness
from plan_registry.domain.diff import diff_versions
from dgplan_contracts.fiscal import fiscal_year_range

from plan_registry.domain.hierarchy import check_no_cycle, check_parent, check_period


def test_fiscal_year_2565_runs_from_october_2021_to_september_2022():
    assert tuple(d.isoformat() for d in fiscal_year_range(2565)) == ("2021-10-01", "2022-09-30")


@pytest.mark.parametrize(
    ("start", "end", "field"), [(2565, 2563, "end_fy"), (2022, 2025, "start_fy"), (2563, 3000, "end_fy")]
)
def test_periods_must_be_buddhist_era_and_forwards(start, end, field):
    with pytest.raises(ProblemError) as caught:
        check_period(start, end)
    assert caught.value.status == 422 and caught.value.extensions["errors"][0]["field"] == field


def test_parent_kinds():
    check_parent("project", "work_plan")
    check_parent("project", "strategy")
    for kind, parent in (("work_plan", "strategy"), ("measure", None), ("strategy", "measure"), ("target", "strategy")):
        with pytest.raises(ProblemError):
            check_parent(kind, parent)


def test_a_node_cannot_become_its_own_ancestor():
    parents = {"s": None, "m": "s", "w": "m"}
    check_no_cycle("w", "s", parents)
    with pytest.raises(ProblemError):
        check_no_cycle("m", "w", parents)
    with pytest.raises(ProblemError):
        check_no_cycle("m", "m", parents)


def _node(i: int, name: str) -> dict:
    return {"id": f"n{i}", "node_type": "measure", "code": f"M{i}", "name": {"th": name, "en": name}, "position": i, "roles": []}


node_sets = st.dictionaries(st.integers(0, 12), st.sampled_from(["ก", "ข", "ค"]), max_size=10)


@settings(max_examples=60, deadline=None)
@given(node_sets, node_sets)
def test_diff_is_symmetric_and_empty_on_itself(a, b):
    before = [_node(i, n) for i, n in a.items()]
    after = [_node(i, n) for i, n in b.items()]
    forward = diff_versions({"n": 1}, {"n": 2}, before, after)
    backward = diff_versions({"n": 2}, {"n": 1}, after, before)
    assert [x["node_id"] for x in forward["added"]] == [x["node_id"] for x in backward["removed"]]
    assert len(forward["changed"]) == len(backward["changed"]) == sum(1 for i in a.keys() & b.keys() if a[i] != b[i])
    same = diff_versions({"n": 1}, {"n": 1}, before, before)
    assert (same["added"], same["removed"], same["changed"]) == ([], [], [])


def test_completeness_counts_registered_against_declared_per_strategy():
    nodes = [
        {"id": "p", "node_type": "plan", "position": 0, "declared": {"measures": 2, "work_plans": 1, "projects": 3},
         "attributes": {"declared_strategies": 2}},
        {"id": "s1", "node_type": "strategy", "code": "S1", "name": {}, "position": 1, "strategy_id": "s1",
         "declared": {"measures": 1, "work_plans": 1, "projects": 2}},
        {"id": "m1", "node_type": "measure", "strategy_id": "s1", "position": 1},
        {"id": "w1", "node_type": "work_plan", "strategy_id": "s1", "position": 1},
        {"id": "x1", "node_type": "project", "strategy_id": "s1", "position": 1},
        {"id": "x2", "node_type": "project", "strategy_id": "s1", "position": 2},
    ]
    report = completeness(nodes)
    assert report["strategies"] == {"declared": 2, "registered": 1, "missing": 1}
    assert report["projects"] == {"declared": 3, "registered": 2, "missing": 1}
    assert report["per_strategy"][0]["complete"] is True and report["complete"] is False
