"""Revise a plan into a new draft version; submit a draft for governance (which freezes it).

Submitting a revision of a version still under governance (a body endorsed it with observations
and waits for the revision) marks that version ``superseded``. Submission is refused while any observation on the version being revised is still ``open``:
an observation counts as answered once the secretariat responded to it (``responded``) or the
body settled it (``accepted``, ``rejected``, ``closed``).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, insert, select, update

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_contracts.identity import SECRETARIAT, Principal, require_role
from dgplan_shared.problems import conflict

from plan_registry import store
from plan_registry.db.tables import observations, plan_versions, plans
from plan_registry.events import VERSION_CREATED, VERSION_SUBMITTED
from plan_registry.events.payloads import version_created, version_submitted
from plan_registry.usecases.access import require_editor
from plan_registry.usecases.node_rules import frozen

ANSWERED = ("responded", "accepted", "rejected", "closed")


async def revise(uow: UnitOfWork, principal: Principal, plan_id: str, based_on: str | None) -> dict[str, Any]:
    require_editor(principal)
    session = uow.session
    plan = await store.get_plan_for_update(session, plan_id)
    latest = await store.get_version(session, plan_id, plan.latest_version_id)
    if latest.status == "draft":
        raise conflict("draft-exists", f"Version {latest.number} is still a draft: edit it instead.", draft_version_id=latest.id)
    base = await store.get_version(session, plan_id, based_on or latest.id)
    number = (await session.scalar(select(func.max(plan_versions.c.number)).where(plan_versions.c.plan_id == plan_id))) + 1
    version_id = str(uuid.uuid4())
    await session.execute(
        insert(plan_versions).values(
            id=version_id, plan_id=plan_id, number=number, status="draft", based_on_version_id=base.id, created_at=utcnow()
        )
    )
    await store.copy_version_content(session, base.id, version_id)
    await session.execute(update(plans).where(plans.c.id == plan_id).values(latest_version_id=version_id))
    version = store.version_dict(await store.get_version(session, plan_id, version_id))
    await uow.publish(VERSION_CREATED, plan_id, version_created(version))
    return version


async def submit(uow: UnitOfWork, principal: Principal, plan_id: str, version_id: str) -> dict[str, Any]:
    require_role(principal, SECRETARIAT)
    session = uow.session
    await store.get_plan_for_update(session, plan_id)
    version = await store.get_version(session, plan_id, version_id)
    if version.status != "draft":
        raise frozen(version)
    if version.based_on_version_id:
        unanswered = list(
            (
                await session.scalars(
                    select(observations.c.id).where(
                        observations.c.version_id == version.based_on_version_id, observations.c.status.not_in(ANSWERED)
                    ).order_by(observations.c.created_at, observations.c.id)
                )
            ).all()
        )
        if unanswered:
            raise conflict(
                "unanswered-observations",
                f"{len(unanswered)} observation(s) on the revised version are not answered yet.",
                observation_ids=unanswered,
            )
    await session.execute(
        update(plan_versions).where(plan_versions.c.id == version_id).values(
            status="submitted", submitted_by=principal.subject, submitted_at=utcnow()
        )
    )
    if version.based_on_version_id:
        # A body that endorsed with observations waits for the revision: the version it reviewed
        # is now replaced by this one and will never be decided itself.
        await session.execute(
            update(plan_versions).where(
                plan_versions.c.id == version.based_on_version_id, plan_versions.c.status.in_(("submitted", "under_review"))
            ).values(status="superseded")
        )
    updated = store.version_dict(await store.get_version(session, plan_id, version_id))
    await uow.publish(VERSION_SUBMITTED, plan_id, version_submitted(updated))
    return updated
