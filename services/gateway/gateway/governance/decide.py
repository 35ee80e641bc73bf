"""Use cases: a member's vote, and a body's decision (or the chair/secretary's resolution).

Both lock the instance row first, so two concurrent final votes serialize: the second sees the
stage already moved on and is refused (409), and the outcome is written exactly once.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import delete, insert

from dgplan_shared.db.types import utcnow
from dgplan_contracts.identity import Principal, forbidden, require_body_member
from dgplan_shared.problems import invalid
from dgplan_shared.service import Runtime
from gateway.audit import log as audit
from gateway.governance.adapters.tables import gov_votes
from gateway.governance import idempotency, store
from gateway.governance.definitions import Decision, Stage, WorkflowDefinition
from gateway.governance.engine import acting_as, conclude_stage, illegal
from gateway.governance.rules import DecisionRule, tally
from gateway.governance.views import instance_view

RESOLVING_ROLES = ("chair", "secretary")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _clean_observations(observations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"text": {"th": _nfc(o["text"]["th"]), "en": _nfc(o["text"]["en"])}, "node_id": o.get("node_id")}
        for o in observations
    ]


def _check_observations(decision: Decision, observations: list[dict[str, Any]]) -> None:
    if decision.observations == "required" and not observations:
        raise invalid("observations", f"decision {decision.name} needs at least one observation")
    if decision.observations == "none" and observations:
        raise invalid("observations", f"decision {decision.name} takes no observations")


async def _open_stage(
    session, instance: dict[str, Any], expected_stage: str | None, modes: tuple[str, ...]
) -> tuple[WorkflowDefinition, Stage]:
    definition = await store.get_definition(session, instance["workflow_key"], instance["definition_version"])
    if expected_stage is not None and expected_stage != instance["stage"]:
        raise illegal(
            f"the instance is at {instance['stage']}, not {expected_stage}", current_stage=instance["stage"]
        )
    stage = definition.stage(instance["stage"])
    if instance["status"] != "active" or stage is None:
        raise illegal(f"the workflow is {instance['status']} ({instance['stage']}): nothing to decide")
    if stage.mode not in modes:
        raise illegal(f"stage {stage.name} ({stage.mode}) does not take this action", current_stage=stage.name)
    return definition, stage


def _decision(stage: Stage, name: str) -> Decision:
    decision = stage.decision(name)
    if decision is None:
        raise illegal(
            f"{name!r} is not a decision of stage {stage.name}", allowed=[d.name for d in stage.decisions]
        )
    return decision


async def cast_vote(
    runtime: Runtime, principal: Principal, instance_id: str, key: str, request: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    print_ = idempotency.fingerprint(f"vote:{instance_id}", request)
    now = utcnow()
    async with runtime.uow() as uow:
        session = uow.session
        instance = await store.get_instance(session, instance_id, lock=True)
        stored = await idempotency.replay(session, principal.subject, key, print_)
        if stored is not None:
            return stored
        definition, stage = await _open_stage(session, instance, request.get("stage"), ("vote",))
        require_body_member(principal, stage.body)
        members = await store.active_members(session, stage.body)
        if principal.subject not in members:
            raise forbidden(f"{principal.subject} is not an active member of {stage.body}")
        decision = _decision(stage, request["choice"])
        observations = _clean_observations(request.get("observations", []))
        _check_observations(decision, observations)
        reason = _nfc(request["reason"])
        # A member may change their vote while the stage is open: the latest one counts.
        await session.execute(
            delete(gov_votes).where(
                gov_votes.c.instance_id == instance_id,
                gov_votes.c.stage_entry == instance["stage_entry"],
                gov_votes.c.voter == principal.subject,
            )
        )
        await session.execute(
            insert(gov_votes).values(
                instance_id=instance_id,
                stage_entry=instance["stage_entry"],
                voter=principal.subject,
                stage=stage.name,
                choice=decision.name,
                reason=reason,
                observations=observations,
                cast_at=now,
            )
        )
        role = members[principal.subject]
        await store.add_timeline(
            session, instance, at=now, kind="vote", stage=stage.name, body=stage.body, actor=principal.subject,
            acting_as=acting_as(role, stage.body), decision=decision.name, reason=reason, observations=observations,
        )
        await audit.append(
            session, actor=principal.subject, acting_as=acting_as(role, stage.body), action="vote-cast",
            target=store.subject_of(instance), decision=decision.name, reason=reason,
            payload={"stage": stage.name, "stage_entry": instance["stage_entry"], "observations": observations},
            at=now,
        )
        body = await store.get_body(session, stage.body)
        votes = await store.votes_for(session, instance_id, instance["stage_entry"])
        counted = {v["voter"]: v["choice"] for v in votes if v["voter"] in members}
        chair = next((s for s, r in members.items() if r == "chair"), None)
        result = tally(DecisionRule.from_json(body["rule"]), len(members), counted, chair)
        if result.decided:
            assert result.decision is not None
            winning = [v for v in votes if v["choice"] == result.decision and v["voter"] in members]
            instance = await conclude_stage(
                uow, instance, definition, _decision(stage, result.decision),
                reason="; ".join(dict.fromkeys(v["reason"] for v in winning)),
                observations=[o for v in winning for o in v["observations"]],
                actor=principal.subject, actor_role=role, now=now, tally=result.to_json(),
            )
        response = {
            "vote": {"voter": principal.subject, "choice": decision.name, "reason": reason, "stage": stage.name},
            "tally": result.to_json(),
            "instance": instance_view(instance),
        }
        await idempotency.remember(session, principal.subject, key, print_, 201, response)
        await uow.commit()
    return 201, response


async def record_decision(
    runtime: Runtime, principal: Principal, instance_id: str, key: str, request: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    print_ = idempotency.fingerprint(f"decision:{instance_id}", request)
    now = utcnow()
    async with runtime.uow() as uow:
        session = uow.session
        instance = await store.get_instance(session, instance_id, lock=True)
        stored = await idempotency.replay(session, principal.subject, key, print_)
        if stored is not None:
            return stored
        definition, stage = await _open_stage(session, instance, request.get("stage"), ("vote", "single"))
        require_body_member(principal, stage.body)
        members = await store.active_members(session, stage.body)
        role = members.get(principal.subject)
        if role is None:
            raise forbidden(f"{principal.subject} is not an active member of {stage.body}")
        decision = _decision(stage, request["decision"])
        observations = _clean_observations(request.get("observations", []))
        _check_observations(decision, observations)
        tally_json = None
        if stage.mode == "vote":
            if role not in RESOLVING_ROLES:
                raise forbidden(f"only the chair or the secretary records the resolution of {stage.body}")
            votes = await store.votes_for(session, instance_id, instance["stage_entry"])
            counted = {v["voter"]: v["choice"] for v in votes if v["voter"] in members}
            if counted:
                # Votes were cast here: the resolution closes the vote and must be what they say.
                body = await store.get_body(session, stage.body)
                chair = next((s for s, r in members.items() if r == "chair"), None)
                result = tally(DecisionRule.from_json(body["rule"]), len(members), counted, chair, closing=True)
                tally_json = result.to_json()
                if not result.decided:
                    raise illegal(f"the votes cast do not decide ({result.why})", tally=tally_json)
                if result.decision != decision.name:
                    raise illegal(
                        f"the votes cast decide {result.decision}, not {decision.name}", tally=tally_json
                    )
        instance = await conclude_stage(
            uow, instance, definition, decision, reason=_nfc(request["reason"]), observations=observations,
            actor=principal.subject, actor_role=role, now=now, tally=tally_json,
        )
        response = {"decision": decision.name, "stage": stage.name, "instance": instance_view(instance)}
        await idempotency.remember(session, principal.subject, key, print_, 201, response)
        await uow.commit()
    return 201, response
