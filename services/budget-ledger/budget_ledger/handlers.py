"""What the ledger does with other services' events (tolerant reader: unknown fields ignored)."""

from __future__ import annotations

from sqlalchemy import select, update

from budget_ledger.db.tables import plans
from budget_ledger.events.types import (
    PACKAGE_APPROVED,
    PACKAGE_RETURNED,
    PLAN_DRAFTED,
    PLAN_STRUCTURE_PUBLISHED,
    PROJECT_CHANGED,
    PROJECT_REGISTERED,
)
from budget_ledger.use_cases.approve_round import approve_round, return_package
from budget_ledger.use_cases.frameworks import apply_frameworks, plan_framework_from_structure
from budget_ledger.use_cases.project_snapshot import apply_project_snapshot
from dgplan_shared.consumer import EventHandlers
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.events import CloudEvent
from dgplan_shared.settings import ServiceSettings


def build_handlers(settings_provider) -> EventHandlers:  # type: ignore[no-untyped-def]
    """``settings_provider()`` gives the running service's settings (read per event, never at import)."""
    handlers = EventHandlers()

    @handlers.on(PROJECT_REGISTERED, PROJECT_CHANGED)
    async def project_snapshot(uow: UnitOfWork, event: CloudEvent) -> None:
        await apply_project_snapshot(uow.session, event.data)

    @handlers.on(PLAN_DRAFTED)
    async def plan_drafted(uow: UnitOfWork, event: CloudEvent) -> None:
        d = event.data
        plan_id = str(d["plan_id"])
        values = {"plan_code": d.get("code"), "start_fy": d.get("start_fy"), "end_fy": d.get("end_fy"), "updated_at": utcnow()}
        if await uow.session.scalar(select(plans.c.plan_id).where(plans.c.plan_id == plan_id)):
            await uow.session.execute(update(plans).where(plans.c.plan_id == plan_id).values(**values))
        else:
            await uow.session.execute(plans.insert().values(plan_id=plan_id, **values))

    @handlers.on(PLAN_STRUCTURE_PUBLISHED)
    async def structure_published(uow: UnitOfWork, event: CloudEvent) -> None:
        framework = plan_framework_from_structure(event.data)
        await apply_frameworks(uow, framework, posted_by=event.source, reference=event.data.get("version_id"))

    @handlers.on(PACKAGE_APPROVED)
    async def package_approved(uow: UnitOfWork, event: CloudEvent) -> None:
        settings: ServiceSettings = settings_provider()
        await approve_round(
            uow,
            str(event.data["round_id"]),
            actor=str(event.data.get("body") or event.source),
            auto_allocate=getattr(settings, "auto_allocate_on_approval", True),
            reason=event.data.get("reason"),
        )

    @handlers.on(PACKAGE_RETURNED)
    async def package_returned(uow: UnitOfWork, event: CloudEvent) -> None:
        await return_package(uow, str(event.data["round_id"]), str(event.data.get("body") or event.source), event.data.get("reason"))

    return handlers
