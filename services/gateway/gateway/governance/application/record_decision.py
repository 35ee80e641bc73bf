"""Use case: a body's decision — any member of a body deciding as one (``single`` stage), or the
chair/secretary recording a voting body's resolution, which must agree with the votes cast."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from gateway.governance.application.caller_roles import caller_roles
from gateway.governance.application.repositories import repositories
from gateway.governance.application.stage_moves import conclude_stage
from gateway.governance.domain.authority import DECIDE, authorize
from gateway.governance.domain.rules import DecisionRule, tally
from gateway.governance.domain.transitions import (
    check_observations,
    illegal,
    offered_decision,
    stored_observations,
)


@dataclass(frozen=True)
class RecordDecision:
    principal: Principal
    instance_id: str
    decision: str
    reason: str
    observations: tuple[dict[str, Any], ...] = ()
    stage: str | None = None


@dataclass(frozen=True)
class DecisionRecorded:
    decision: str
    stage: str
    instance: dict[str, Any] = field(repr=False)


async def handle(command: RecordDecision, uow: UnitOfWork) -> DecisionRecorded:
    repos = repositories(uow)
    now = utcnow()
    instance = await repos.instances.get(command.instance_id, lock=True)
    definition = await repos.workflows.get(instance["workflow_key"], instance["definition_version"])
    roles = await caller_roles(repos, command.principal)
    stage, role = authorize(definition, instance, DECIDE, roles, command.stage)
    decision = offered_decision(stage, command.decision)
    observations = stored_observations(command.observations)
    check_observations(decision, observations)
    tally_json = None
    if stage.mode == "vote":
        members = await repos.bodies.active_members(stage.body)
        votes = await repos.instances.votes(instance["id"], instance["stage_entry"])
        counted = {v["voter"]: v["choice"] for v in votes if v["voter"] in members}
        if counted:
            # Votes were cast here: the resolution closes the vote and must be what they say.
            body = await repos.bodies.get(stage.body)
            chair = next((s for s, r in members.items() if r == "chair"), None)
            result = tally(DecisionRule.from_json(body["rule"]), len(members), counted, chair, closing=True)
            tally_json = result.to_json()
            if not result.decided:
                raise illegal(f"the votes cast do not decide ({result.why})", tally=tally_json)
            if result.decision != decision.name:
                raise illegal(f"the votes cast decide {result.decision}, not {decision.name}", tally=tally_json)
    instance = await conclude_stage(
        uow, instance, definition, decision, reason=command.reason.strip(), observations=observations,
        actor=command.principal.subject, actor_role=role, now=now, tally=tally_json,
    )
    return DecisionRecorded(decision.name, stage.name, instance)
