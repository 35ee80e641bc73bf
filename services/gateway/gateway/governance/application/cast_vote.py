"""Use case: a member's vote at a voting stage; the stage moves as soon as the body's rule decides.

The instance row is locked first, so two concurrent final votes serialize: the second sees the
stage already moved on and is refused (409), and the outcome is written exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from gateway.governance.application.caller_roles import caller_roles
from gateway.governance.application.repositories import repositories
from gateway.governance.application.stage_moves import conclude_stage
from gateway.governance.domain.authority import VOTE, authorize
from gateway.governance.domain.rules import DecisionRule, tally
from gateway.governance.domain.transitions import (
    acting_as,
    check_observations,
    offered_decision,
    stored_observations,
    subject_of,
)


@dataclass(frozen=True)
class CastVote:
    principal: Principal
    instance_id: str
    choice: str
    reason: str
    observations: tuple[dict[str, Any], ...] = ()
    stage: str | None = None  # the stage the voter means (409 if it moved on)


@dataclass(frozen=True)
class VoteCast:
    voter: str
    choice: str
    reason: str
    stage: str
    tally: dict[str, Any]
    instance: dict[str, Any] = field(repr=False)


async def handle(command: CastVote, uow: UnitOfWork) -> VoteCast:
    repos = repositories(uow)
    now = utcnow()
    voter = command.principal.subject
    instance = await repos.instances.get(command.instance_id, lock=True)
    definition = await repos.workflows.get(instance["workflow_key"], instance["definition_version"])
    roles = await caller_roles(repos, command.principal)
    stage, role = authorize(definition, instance, VOTE, roles, command.stage)
    decision = offered_decision(stage, command.choice)
    observations = stored_observations(command.observations)
    check_observations(decision, observations)
    reason = command.reason.strip()
    entry = instance["stage_entry"]
    await repos.instances.replace_vote(
        instance["id"], entry, voter, stage=stage.name, choice=decision.name, reason=reason,
        observations=observations, cast_at=now,
    )
    await repos.instances.add_timeline(
        instance, at=now, kind="vote", stage=stage.name, body=stage.body, actor=voter,
        acting_as=acting_as(role, stage.body), decision=decision.name, reason=reason, observations=observations,
    )
    await repos.audit.append(
        actor=voter, acting_as=acting_as(role, stage.body), action="vote-cast", target=subject_of(instance),
        decision=decision.name, reason=reason,
        payload={"stage": stage.name, "stage_entry": entry, "observations": observations}, at=now,
    )
    members = await repos.bodies.active_members(stage.body)
    body = await repos.bodies.get(stage.body)
    votes = await repos.instances.votes(instance["id"], entry)
    counted = {v["voter"]: v["choice"] for v in votes if v["voter"] in members}
    chair = next((s for s, r in members.items() if r == "chair"), None)
    result = tally(DecisionRule.from_json(body["rule"]), len(members), counted, chair)
    if result.decided:
        assert result.decision is not None
        winning = [v for v in votes if v["choice"] == result.decision and v["voter"] in members]
        instance = await conclude_stage(
            uow, instance, definition, offered_decision(stage, result.decision),
            reason="; ".join(dict.fromkeys(v["reason"] for v in winning)),
            observations=[o for v in winning for o in v["observations"]],
            actor=voter, actor_role=role, now=now, tally=result.to_json(),
        )
    return VoteCast(voter, decision.name, reason, stage.name, result.to_json(), instance)
