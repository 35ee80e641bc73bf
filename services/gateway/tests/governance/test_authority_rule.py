"""The 403/409 rule as a pure function, for every stage of the seeded plan approval and every
kind of caller (no HTTP, no database)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from dgplan_shared.errors import ProblemError
from gateway.governance.domain.authority import DECIDE, VOTE, authorize, may_act, stages_for
from gateway.governance.domain.definitions import WorkflowDefinition
from gateway.governance.domain.seed_data import PLAN_APPROVAL_V1
from gateway.governance.domain.transitions import entering

NOW = datetime(2021, 1, 1, tzinfo=timezone.utc)
PLAN_APPROVAL = WorkflowDefinition.model_validate(PLAN_APPROVAL_V1)
COMMITTEE, NESDC, CABINET, SECRETARIAT = "digital-government-committee", "nesdc", "cabinet", "dga-secretariat"
ROLES = {
    "committee chair": {COMMITTEE: "chair"},
    "committee member": {COMMITTEE: "member"},
    "nesdc": {NESDC: "member"},
    "cabinet": {CABINET: "member"},
    "secretariat": {SECRETARIAT: "secretary"},
    "nobody": {},
}
# (stage, action) -> the callers who act there now; everyone else is refused as the rule says.
NOW_ALLOWED = {
    ("committee", VOTE): {"committee chair", "committee member"},
    ("committee", DECIDE): {"committee chair"},
    ("nesdc", DECIDE): {"nesdc"},
    ("cabinet", DECIDE): {"cabinet"},
}
EVER = {VOTE: {"committee chair", "committee member"}, DECIDE: {"committee chair", "nesdc", "cabinet"}}


def at(stage: str) -> dict:
    draft = {"id": "i", "stage_entry": 0, "context": {}, "status": "active"}
    return {**draft, **entering(PLAN_APPROVAL, draft, stage, NOW)}


CASES = [
    (stage, action, who)
    for stage in ("committee", "nesdc", "revision", "cabinet", "approved")
    for action in (VOTE, DECIDE)
    for who in ROLES
]


@pytest.mark.parametrize(("stage", "action", "who"), CASES)
def test_every_stage_every_caller(stage, action, who):
    instance = at(stage)
    if who in NOW_ALLOWED.get((stage, action), set()):
        found, role = authorize(PLAN_APPROVAL, instance, action, ROLES[who])
        assert (found.name, role) == (stage, next(iter(ROLES[who].values())))
        return
    with pytest.raises(ProblemError) as refused:
        authorize(PLAN_APPROVAL, instance, action, ROLES[who])
    assert refused.value.status == (409 if who in EVER[action] else 403), refused.value.detail


def test_a_stage_that_moved_on_is_409_even_for_its_own_body():
    with pytest.raises(ProblemError) as refused:
        authorize(PLAN_APPROVAL, at("nesdc"), DECIDE, ROLES["nesdc"], expected_stage="committee")
    assert (refused.value.status, refused.value.extensions["current_stage"]) == (409, "nesdc")


def test_who_acts_where():
    assert [s.name for s in stages_for(PLAN_APPROVAL, DECIDE, {COMMITTEE: "secretary", CABINET: "member"})] == [
        "committee", "cabinet"]
    revision = PLAN_APPROVAL.stage("revision")
    assert revision is not None and not may_act(revision, DECIDE, "secretary")
