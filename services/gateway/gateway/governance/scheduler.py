"""The durable deadline scheduler: a loop (its own process role) that scans the database for
stages past their due time. Nothing lives in memory between scans, so a restart loses nothing.

An overdue decision stage gets one ``workflow.stage-overdue`` event per stage entry (a unique
row makes it once, whatever the number of scheduler replicas), escalated to the body's parent.
An external stage with ``at_deadline`` simply moves on (the submission window closes).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import and_, exists, insert, select
from sqlalchemy.exc import IntegrityError

from dgplan_shared.db.types import utcnow
from dgplan_shared.service import Runtime
from gateway.audit import log as audit
from gateway.governance.adapters.tables import gov_instances, gov_overdue
from gateway.governance import config, store
from gateway.governance.engine import advance_without_decision
from gateway.governance.events import STAGE_OVERDUE, iso

log = logging.getLogger(__name__)
SCHEDULER = "governance-scheduler"


async def _due_instance_ids(runtime: Runtime, now: datetime) -> list[str]:
    noticed = exists().where(
        and_(gov_overdue.c.instance_id == gov_instances.c.id, gov_overdue.c.stage_entry == gov_instances.c.stage_entry)
    )
    query = (
        select(gov_instances.c.id)
        .where(gov_instances.c.status == "active", gov_instances.c.stage_due_at <= now, ~noticed)
        .order_by(gov_instances.c.stage_due_at)
        .limit(config.SCHEDULER_BATCH)
    )
    async with runtime.db.session() as session:
        return list((await session.execute(query)).scalars())


async def _handle(runtime: Runtime, instance_id: str, now: datetime) -> str | None:
    async with runtime.uow() as uow:
        session = uow.session
        instance = await store.get_instance(session, instance_id, lock=True)
        due = instance["stage_due_at"]
        if instance["status"] != "active" or due is None or due > now:
            return None  # moved on since the scan
        definition = await store.get_definition(session, instance["workflow_key"], instance["definition_version"])
        stage = definition.stage(instance["stage"])
        assert stage is not None
        if stage.mode == "external" and stage.at_deadline:
            await advance_without_decision(
                uow, instance, definition, stage.at_deadline, kind="deadline-passed", actor=SCHEDULER,
                reason=f"deadline of {stage.name} passed", now=now, detail={"deadline": iso(due)},
            )
            await uow.commit()
            return "advanced"
        body = await store.get_body(session, stage.body)
        escalated_to = body["parent_code"] or stage.body
        try:
            async with session.begin_nested():
                await session.execute(
                    insert(gov_overdue).values(
                        instance_id=instance_id, stage_entry=instance["stage_entry"], stage=stage.name,
                        body=stage.body, escalated_to=escalated_to, deadline=due, noticed_at=now,
                    )
                )
        except IntegrityError:
            return None  # another scheduler noticed it first
        await uow.publish(
            STAGE_OVERDUE,
            instance_id,
            {
                "instance_id": instance_id,
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
        await store.add_timeline(
            session, instance, at=now, kind="overdue", stage=stage.name, body=stage.body, actor=SCHEDULER,
            reason=f"stage {stage.name} passed its deadline; escalated to {escalated_to}",
            detail={"deadline": iso(due), "escalated_to": escalated_to},
        )
        await audit.append(
            session, actor=SCHEDULER, acting_as="system", action="stage-overdue", target=store.subject_of(instance),
            reason=f"escalated to {escalated_to}",
            payload={"stage": stage.name, "stage_entry": instance["stage_entry"], "deadline": iso(due)}, at=now,
        )
        await uow.commit()
        return "overdue"


async def scan_once(runtime: Runtime, now: datetime | None = None) -> dict[str, int]:
    """Handle every stage due at ``now``; returns counts of what was done."""
    now = now or utcnow()
    done = {"overdue": 0, "advanced": 0}
    for instance_id in await _due_instance_ids(runtime, now):
        outcome = await _handle(runtime, instance_id, now)
        if outcome:
            done[outcome] += 1
    return done


async def run(
    runtime: Runtime,
    stop: asyncio.Event,
    clock: Callable[[], datetime] = utcnow,
    interval: float = config.SCHEDULER_INTERVAL_SECONDS,
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
