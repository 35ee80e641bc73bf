"""Submit a draft for governance, which freezes it.

Submitting a revision of a version still under governance (a body endorsed it with observations
and waits for the revision) marks that version ``superseded``. Submission is refused while any
observation on the version being revised is still ``open``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import SECRETARIAT, Principal, require_role
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict

from plan_registry.adapters.plan_repository import version_dict
from plan_registry.application.repositories import repositories
from plan_registry.domain.node_rules import require_draft
from plan_registry.events.types import VERSION_SUBMITTED
from plan_registry.events.payloads import version_submitted


@dataclass(frozen=True)
class SubmitVersion:
    principal: Principal
    plan_id: str
    version_id: str


async def handle(command: SubmitVersion, uow: UnitOfWork) -> dict[str, Any]:
    require_role(command.principal, SECRETARIAT)
    plan_id, version_id = command.plan_id, command.version_id
    repos = repositories(uow)
    await repos.plans.get_for_update(plan_id)
    # Exclusive on the version: registrations under way finish first, later ones find it frozen.
    version = await repos.plans.get_version_for_write(plan_id, version_id, shared=False)
    require_draft(version)
    if version.based_on_version_id:
        unanswered = await repos.observations.unanswered(version.based_on_version_id)
        if unanswered:
            raise conflict(
                "unanswered-observations",
                f"{len(unanswered)} observation(s) on the revised version are not answered yet.",
                observation_ids=unanswered,
            )
    await repos.plans.update_version(version_id, status="submitted", submitted_by=command.principal.subject,
                                     submitted_at=utcnow())
    if version.based_on_version_id:
        # A body that endorsed with observations waits for the revision: the version it reviewed
        # is now replaced by this one and will never be decided itself.
        await repos.plans.supersede_if_under_governance(version.based_on_version_id)
    updated = version_dict(await repos.plans.get_version(plan_id, version_id))
    await uow.publish(VERSION_SUBMITTED, plan_id, version_submitted(updated))
    return updated
