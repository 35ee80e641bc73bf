"""What the ledger does with other services' events (tolerant reader: unknown fields ignored):
each event becomes one command for one use case, run in the consumer's unit of work."""

from __future__ import annotations

from collections.abc import Callable

from budget_ledger.application.approve_round import ApproveRound, ReturnPackage, approve_round, return_package
from budget_ledger.application.frameworks import ApplyStructure, apply_structure
from budget_ledger.application.project_snapshot import RecordPlan, RecordProject, record_plan, record_project
from budget_ledger.domain.frameworks import plan_framework_from_structure
from budget_ledger.events.types import (
    PACKAGE_APPROVED,
    PACKAGE_RETURNED,
    PLAN_DRAFTED,
    PLAN_STRUCTURE_PUBLISHED,
    PROJECT_CHANGED,
    PROJECT_REGISTERED,
)
from dgplan_shared.consumer import EventHandlers
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent
from dgplan_shared.settings import ServiceSettings


def build_handlers(settings_provider: Callable[[], ServiceSettings]) -> EventHandlers:
    """``settings_provider()`` gives the running service's settings (read per event, never at import)."""
    handlers = EventHandlers()

    @handlers.on(PROJECT_REGISTERED, PROJECT_CHANGED)
    async def project_snapshot(uow: UnitOfWork, event: CloudEvent) -> None:
        await record_project(RecordProject(event.data), uow)

    @handlers.on(PLAN_DRAFTED)
    async def plan_drafted(uow: UnitOfWork, event: CloudEvent) -> None:
        await record_plan(RecordPlan(event.data), uow)

    @handlers.on(PLAN_STRUCTURE_PUBLISHED)
    async def structure_published(uow: UnitOfWork, event: CloudEvent) -> None:
        framework = plan_framework_from_structure(event.data)
        await apply_structure(ApplyStructure(framework, event.source, event.data.get("version_id")), uow)

    @handlers.on(PACKAGE_APPROVED)
    async def package_approved(uow: UnitOfWork, event: CloudEvent) -> None:
        command = ApproveRound(
            str(event.data["round_id"]),
            approved_by=str(event.data.get("body") or event.source),
            auto_allocate=getattr(settings_provider(), "auto_allocate_on_approval", True),
            reason=event.data.get("reason"),
        )
        await approve_round(command, uow)

    @handlers.on(PACKAGE_RETURNED)
    async def package_returned(uow: UnitOfWork, event: CloudEvent) -> None:
        command = ReturnPackage(str(event.data["round_id"]), str(event.data.get("body") or event.source), event.data.get("reason"))
        await return_package(command, uow)

    return handlers
