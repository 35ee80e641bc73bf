"""The secretariat's pages' rules without a browser: the redline read from the registry's diff, the
node form's PATCH (only what was changed), the default pair of versions to compare, which
observations take an answer, and the voters' names on the decision page."""

from __future__ import annotations

from console.application.decision_page import DecisionView
from console.application.observations_page import ObservationView
from console.application.version_diff import default_pair
from console.domain.node_form import changed_fields, node_patch
from console.domain.quorum import standing
from console.domain.redline import redline, role_pairs

DIFF = {
    "from": {"version_id": "v1", "number": 1, "status": "approved"},
    "to": {"version_id": "v2", "number": 2, "status": "draft"},
    "added": [{"node_type": "project", "node_id": "n9", "code": "S4-P3", "name": {"th": "ใหม่", "en": "New"}}],
    "removed": [],
    "changed": [{
        "node_type": "project", "node_id": "n2", "code": "S4-P2",
        "fields": {
            "roles": {"from": [{"agency": "DGA", "role": "supporting", "demo": True},
                               {"agency": "ONDE", "role": "lead", "demo": True}],
                      "to": [{"agency": "ONDE", "role": "lead"}, {"agency": "DGA", "role": "supporting"}]},
            "budget_framework": {"from": None, "to": "1500000.00"},
            "name.th": {"from": "เดิม", "to": "ใหม่กว่า"},
            "attributes.placement": {"from": "a", "to": "b"},
        },
    }],
    "summary": "",
}


def test_the_redline_names_each_change_in_words_with_old_and_new_values():
    lines = redline(DIFF, {"n2": {"th": "ใหม่กว่า", "en": "Newer"}})
    assert (lines.from_number, lines.to_number) == (1, 2)
    assert [(line.kind, line.code, line.label) for line in lines.lines] == [
        ("added", "S4-P3", None),
        ("changed", "S4-P2", "Name (Thai)"),
        ("changed", "S4-P2", "Budget framework"),
        ("changed", "S4-P2", "placement"),
    ]
    name, budget = lines.lines[1], lines.lines[2]
    assert (name.old, name.new, name.name) == ("เดิม", "ใหม่กว่า", {"th": "ใหม่กว่า", "en": "Newer"})
    assert (budget.value_kind, budget.old_blank, budget.new) == ("money", True, "1500000.00")
    assert (lines.count("added"), lines.count("removed"), lines.count("changed")) == (1, 0, 1)


def test_a_dropped_demo_mark_is_no_change_of_roles_but_a_new_agency_is():
    changed = {**DIFF["changed"][0], "fields": {"roles": {
        "from": [{"agency": "ONDE", "role": "lead", "demo": True}],
        "to": [{"agency": "DEPA", "role": "supporting"}, {"agency": "ONDE", "role": "lead"}]}}}
    lines = redline({**DIFF, "added": [], "changed": [changed]}, {}).lines
    assert len(lines) == 1 and lines[0].value_kind == "roles"
    assert lines[0].old == [("ONDE", "lead")] and lines[0].new == [("ONDE", "lead"), ("DEPA", "supporting")]
    assert role_pairs([{"agency": "B", "role": "supporting"}, {"agency": "A", "role": "lead"}]) == [
        ("A", "lead"), ("B", "supporting")]


ROLES = [{"agency": "ONDE", "role": "lead", "demo": True}, {"agency": "DGA", "role": "supporting", "demo": True}]
SHOWN = {"name_th": "ชื่อเดิม", "name_en": "Old name", "budget_framework": "1000000.00"}


def _typed(**changes: str) -> dict[str, str]:
    return {**SHOWN, **changes}


def test_the_node_form_sends_only_what_the_person_changed():
    assert node_patch(SHOWN, _typed(name_th=" ชื่อเดิม ", budget_framework="1,000,000"), ROLES, []) == {}
    assert node_patch(SHOWN, _typed(name_th="ชื่อใหม่"), ROLES, []) == {"name": {"th": "ชื่อใหม่", "en": "Old name"}}
    assert node_patch(SHOWN, _typed(budget_framework="2,500,000.50"), ROLES, []) == {"budget_framework": "2500000.50"}
    assert node_patch(SHOWN, _typed(budget_framework=""), ROLES, []) == {"budget_framework": None}
    # Not a number: passed on as typed for the registry to refuse by its field's name.
    assert node_patch(SHOWN, _typed(budget_framework="lots"), ROLES, []) == {"budget_framework": "lots"}
    assert node_patch(SHOWN, _typed(), ROLES, ["DGA:supporting"]) == {"roles": [{"agency": "ONDE", "role": "lead"}]}


def test_after_a_412_the_form_keeps_only_the_persons_own_changes():
    typed = _typed(name_th="ชื่อใหม่", budget_framework="1,000,000")
    assert changed_fields(SHOWN, typed) == {"name_th": "ชื่อใหม่"}  # the budget typed as shown is no change


def test_the_default_comparison_is_the_newest_version_against_its_base():
    versions = [{"id": "a", "number": 1}, {"id": "b", "number": 2, "based_on_version_id": "a"},
                {"id": "c", "number": 3, "based_on_version_id": "b"}]
    assert default_pair(versions) == ("b", "c")
    assert default_pair([{"id": "a", "number": 1}, {"id": "b", "number": 2}]) == ("a", "b")
    assert default_pair([{"id": "a", "number": 1}]) is None


def test_open_and_answered_observations_take_an_answer_resolved_ones_do_not():
    def view(status: str) -> ObservationView:
        return ObservationView({"status": status}, [{"action": "responded", "at": "2026-12-02T10:00:00Z"}])

    assert [s for s in ("open", "responded", "accepted", "rejected", "closed") if view(s).answerable] == [
        "open", "responded"]
    assert view("responded").answered_at == "2026-12-02T10:00:00Z"


def test_the_tally_names_voters_from_the_roster_and_falls_back_to_the_subject():
    votes = [{"voter": "demo-dgc-member-1", "choice": "propose"}, {"voter": "someone-unnamed", "choice": "propose"}]
    view = DecisionView(
        instance={"votes": votes}, body={}, subject_title={}, version_number=2, decisions=["propose"], mode="vote",
        standing=standing({}, 3, votes, ["propose"]), my_vote=None, is_member=True, overdue=False, days_left=30,
        voter_names={"demo-dgc-member-1": "สมชาย ใจดี"},
    )
    assert [view.voter(v["voter"]) for v in votes] == ["สมชาย ใจดี", "someone-unnamed"]
