"""Event handlers for screening rounds: an opened round starts a budget-screening instance; the
ledger's package-submitted, round-approved and round-closed move its external stages on.

They run inside the inbox consumer's transaction (exactly once per event).
"""

from __future__ import annotations

import logging

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent
from gateway.governance.application.repositories import repositories
from gateway.governance.application.stage_moves import advance_without_decision
from gateway.governance.application.start_instance import actor_of, note_ignored, start_instance
from gateway.governance.events import types as ev

log = logging.getLogger(__name__)

BUDGET_SCREENING = "budget-screening"
SHORT_NAMES = {ev.PACKAGE_SUBMITTED: "package-submitted", ev.ROUND_APPROVED: "round-approved",
               ev.ROUND_CLOSED: "round-closed"}


async def on_round_opened(uow: UnitOfWork, event: CloudEvent) -> None:
    data, now = event.data, utcnow()
    round_id = str(data["round_id"])
    if await repositories(uow).instances.find(workflow_key=BUDGET_SCREENING, round_id=round_id):
        return
    context = {k: data.get(k) for k in ("plan_id", "ceiling", "submission_deadline", "decision_deadline")}
    await start_instance(
        uow, BUDGET_SCREENING, event, now, actor=actor_of(event), round_id=round_id,
        fiscal_year=int(data["fiscal_year"]), plan_id=data.get("plan_id"), context=context,
    )


async def on_round_progress(uow: UnitOfWork, event: CloudEvent) -> None:
    repos = repositories(uow)
    data, now = event.data, utcnow()
    found = await repos.instances.find(workflow_key=BUDGET_SCREENING, round_id=str(data["round_id"]))
    active = [i for i in found if i["status"] == "active"]
    if not active:
        log.warning("no active screening instance for round %s (%s)", data["round_id"], event.type)
        return
    instance = await repos.instances.get(active[-1]["id"], lock=True)
    definition = await repos.workflows.get(BUDGET_SCREENING, instance["definition_version"])
    stage = definition.stage(instance["stage"])
    short = SHORT_NAMES[event.type]
    target = stage.advance_on.get(short) if stage is not None else None
    if target is None:
        await note_ignored(uow, instance, event, now, f"{short} does not move stage {instance['stage']}")
        return
    context = dict(instance["context"])
    if short == "package-submitted":
        context.update(recommended_total=data.get("recommended_total"), request_count=data.get("request_count"))
    elif short == "round-approved":
        context.update(approved_total=data.get("approved_total"))
    await advance_without_decision(
        uow, instance, definition, target, kind="advanced", actor=actor_of(event), reason=short, now=now,
        detail={"event_id": event.id, "event_type": event.type}, changes={"context": context},
    )
