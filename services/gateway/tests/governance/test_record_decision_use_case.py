"""The record-decision use case without HTTP or a database: a fake unit of work holds the rows,
and what the use case publishes and audits is read back from it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from dgplan_contracts.identity import BODY_MEMBER, PUBLIC, Principal
from dgplan_shared.errors import ProblemError
from gateway.governance.application.record_decision import RecordDecision, handle
from gateway.governance.domain.audit_chain import verify_chain
from gateway.governance.domain.definitions import WorkflowDefinition
from gateway.governance.domain.seed_data import BODIES, DEMO_MEMBERS, PLAN_APPROVAL_V1
from gateway.governance.domain.transitions import entering
from gateway.governance.events import types as ev

from .fakes import FakeBodies, FakeRepositories, FakeUnitOfWork, FakeWorkflows

NOW = datetime(2021, 3, 30, 3, 0, tzinfo=timezone.utc)
NOTE = {"text": {"th": "ข้อสังเกต", "en": "note"}, "node_id": None}


def fake_uow_at(stage: str) -> FakeUnitOfWork:
    repos = FakeRepositories(FakeBodies(BODIES, DEMO_MEMBERS), FakeWorkflows([PLAN_APPROVAL_V1]))
    draft = {"id": "i-1", "workflow_key": "plan-approval", "definition_version": 1, "status": "active",
             "outcome": None, "stage_entry": 0, "resume_stage": None, "pending_version_id": None,
             "plan_id": "plan-1", "version_id": "ver-1", "round_id": None, "fiscal_year": None, "context": {},
             "lock_version": 0, "created_at": NOW}
    definition = WorkflowDefinition.model_validate(PLAN_APPROVAL_V1)
    repos.instances.rows["i-1"] = {**draft, **entering(definition, draft, stage, NOW)}
    return FakeUnitOfWork(repos)


def member(subject: str, *bodies: str) -> Principal:
    return Principal(subject, frozenset({BODY_MEMBER}), bodies=frozenset(bodies))


async def test_nesdc_endorses_with_observations_and_the_plan_goes_to_revision():
    uow = fake_uow_at("nesdc")
    result = await handle(
        RecordDecision(member("demo-nesdc", "nesdc"), "i-1", "endorse_with_observations", " มติที่ประชุม ", (NOTE,)),
        uow,  # type: ignore[arg-type]
    )
    assert (result.decision, result.stage) == ("endorse_with_observations", "nesdc")
    assert (result.instance["stage"], result.instance["resume_stage"], result.instance["stage_body"]) == (
        "revision", "cabinet", "dga-secretariat")
    entered, event = uow.published
    assert (event.type, event.subject, event.data["next_stage"]) == (ev.STAGE_DECIDED, "plan-1", "revision")
    # The secretariat's revision now waits for it: consumers (notifications) learn it from this.
    assert (entered.type, entered.subject) == (ev.STAGE_ENTERED, "i-1")
    assert {k: entered.data[k] for k in ("stage", "body", "waits_for_body", "status")} == {
        "stage": "revision", "body": "dga-secretariat", "waits_for_body": True, "status": "active"}
    assert event.data["reason"] == "มติที่ประชุม"
    assert [o["text"] for o in event.data["observations"]] == [NOTE["text"]]
    [outcome] = uow.repositories.instances.timeline
    assert (outcome["kind"], outcome["acting_as"], outcome["outcome_entry"]) == ("decided", "member@nesdc", 1)
    entries = uow.repositories.audit.entries
    assert [e["action"] for e in entries] == ["stage-decided"]
    assert verify_chain(entries, 1, entries[-1]["hash"]).ok


async def test_the_cabinet_approves_and_the_instance_completes():
    uow = fake_uow_at("cabinet")
    command = RecordDecision(member("demo-cabinet", "cabinet"), "i-1", "approve_in_principle", "r")
    result = await handle(command, uow)  # type: ignore[arg-type]
    assert (result.instance["status"], result.instance["outcome"]) == ("completed", "approved")
    assert [e.type for e in uow.published] == [ev.STAGE_ENTERED, ev.STAGE_DECIDED, ev.PLAN_APPROVED]
    assert (uow.published[0].data["status"], uow.published[0].data["waits_for_body"]) == ("completed", False)


@pytest.mark.parametrize(
    ("caller", "decision", "status"),
    [
        (member("demo-cabinet", "cabinet"), "approve_in_principle", 409),  # the Cabinet's turn comes later
        (member("demo-dgc-member-1", "digital-government-committee"), "endorse", 403),  # a plain member never records
        (member("demo-obs-chair", "operations-budget-subcommittee"), "endorse", 403),  # no stage of plan approval
        (member("demo-nesdc"), "endorse", 403),  # the identity does not say nesdc
        (Principal("anonymous", frozenset({PUBLIC})), "endorse", 401),
        (member("demo-nesdc", "nesdc"), "approve_in_principle", 409),  # not a decision of this stage
    ],
)
async def test_refusals_change_nothing(caller, decision, status):
    uow = fake_uow_at("nesdc")
    before = dict(uow.repositories.instances.rows["i-1"])
    with pytest.raises(ProblemError) as refused:
        await handle(RecordDecision(caller, "i-1", decision, "r"), uow)  # type: ignore[arg-type]
    assert refused.value.status == status, refused.value.detail
    assert uow.repositories.instances.rows["i-1"] == before
    assert uow.published == [] and uow.repositories.audit.entries == [] and uow.repositories.instances.timeline == []


async def test_a_second_decision_on_the_same_stage_entry_is_refused():
    uow = fake_uow_at("nesdc")
    first = uow.repositories.instances.rows["i-1"]
    await handle(RecordDecision(member("demo-nesdc", "nesdc"), "i-1", "endorse", "r"), uow)  # type: ignore[arg-type]
    # A concurrent decider read the instance before the first one moved it.
    uow.repositories.instances.rows["i-1"] = {**uow.repositories.instances.rows["i-1"], **{
        k: first[k] for k in ("stage", "stage_entry", "stage_body", "lock_version")}}
    with pytest.raises(ProblemError) as refused:
        await handle(RecordDecision(member("demo-nesdc", "nesdc"), "i-1", "return", "r"), uow)  # type: ignore[arg-type]
    assert (refused.value.status, refused.value.slug) == (409, "illegal-transition")
    assert [e.type for e in uow.published] == [ev.STAGE_ENTERED, ev.STAGE_DECIDED]  # the first decision's only
