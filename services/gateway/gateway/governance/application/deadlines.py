"""The durable deadline scheduler's step and loop (its own process role, ``dgplan-gateway
scheduler``). Nothing lives in memory between scans, so a restart loses nothing.

An overdue decision stage gets one ``workflow.stage-overdue`` event per stage entry (a unique
row makes it once, whatever the number of scheduler replicas), escalated to the body's parent.
An external stage with ``at_deadline`` simply moves on (the submission window closes).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from dgplan_shared.commands import execute
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.service import Runtime
from gateway.governance.application.repositories import repositories
from gateway.governance.application.stage_moves import advance_without_decision
from gateway.governance.domain.transitions import subject_of
from gateway.governance.events.payloads import iso
from gateway.governance.events.types import STAGE_OVERDUE

log = logging.getLogger(__name__)
SCHEDULER = "governance-scheduler"
# How often the loop scans, and how many due stages one scan handles (the rest wait for the next).
INTERVAL_SECONDS = 30.0
BATCH = 100


@dataclass(frozen=True)
class FindDue:
    now: datetime
    limit: int = BATCH


@dataclass(frozen=True)
class HandleDue:
    instance_id: str
    now: datetime


async def find_due(command: FindDue, uow: UnitOfWork) -> list[str]:
    return await repositories(uow).instances.due(command.now, command.limit)


async def handle(command: HandleDue, uow: UnitOfWork) -> str | None:
    """``advanced``, ``overdue``, or None when there was nothing (left) to do."""
    repos = repositories(uow)
    now = command.now
    instance = await repos.instances.get(command.instance_id, lock=True)
    due = instance["stage_due_at"]
    if instance["status"] != "active" or due is None or due > now:
        return None  # moved on since the scan
    definition = await repos.workflows.get(instance["workflow_key"], instance["definition_version"])
    stage = definition.stage(instance["stage"])
    assert stage is not None
    if stage.mode == "external" and stage.at_deadline:
        await advance_without_decision(
            uow, instance, definition, stage.at_deadline, kind="deadline-passed", actor=SCHEDULER,
            reason=f"deadline of {stage.name} passed", now=now, detail={"deadline": iso(due)},
        )
        return "advanced"
    body = await repos.bodies.get(stage.body)
    escalated_to = body["parent_code"] or stage.body
    noticed = await repos.instances.add_overdue_notice(
        instance_id=instance["id"], stage_entry=instance["stage_entry"], stage=stage.name, body=stage.body,
        escalated_to=escalated_to, deadline=due, noticed_at=now,
    )
    if not noticed:
        return None  # another scheduler noticed it first
    await uow.publish(
        STAGE_OVERDUE,
        instance["id"],
        {
            "instance_id": instance["id"],
            "workflow": instance["workflow_key"],
            "stage": stage.name,
            "body": stage.body,
            "deadline": iso(due),
            "escalated_to": escalated_to,
            "plan_id": instance["plan_id"],
            "version_id": instance["version_id"],
            "round_id": instance["round_id"],
        },
    )
    await repos.instances.add_timeline(
        instance, at=now, kind="overdue", stage=stage.name, body=stage.body, actor=SCHEDULER,
        reason=f"stage {stage.name} passed its deadline; escalated to {escalated_to}",
        detail={"deadline": iso(due), "escalated_to": escalated_to},
    )
    await repos.audit.append(
        actor=SCHEDULER, acting_as="system", action="stage-overdue", target=subject_of(instance),
        reason=f"escalated to {escalated_to}",
        payload={"stage": stage.name, "stage_entry": instance["stage_entry"], "deadline": iso(due)}, at=now,
    )
    return "overdue"


async def scan_once(runtime: Runtime, now: datetime | None = None) -> dict[str, int]:
    """Handle every stage due at ``now``, each in its own transaction; counts of what was done."""
    now = now or utcnow()
    done = {"overdue": 0, "advanced": 0}
    for instance_id in (await execute(runtime.uow, find_due, FindDue(now))).body:
        outcome = (await execute(runtime.uow, handle, HandleDue(instance_id, now))).body
        if outcome:
            done[outcome] += 1
    return done


async def run(
    runtime: Runtime,
    stop: asyncio.Event,
    clock: Callable[[], datetime] = utcnow,
    interval: float = INTERVAL_SECONDS,
) -> None:
    log.info("governance scheduler started")
    while not stop.is_set():
        try:
            await scan_once(runtime, clock())
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - an outage is waited out; the next scan retries
            log.exception("governance scheduler scan failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except asyncio.TimeoutError:
            pass
    log.info("governance scheduler stopped")
