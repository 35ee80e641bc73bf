"""Change a plan's identity: title, period, predecessor and successor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.web.etags import content_etag, require_if_match

from plan_registry.adapters.plan_repository import plan_dict, plan_values
from plan_registry.application.plan_links import check_plan_links
from plan_registry.application.repositories import repositories
from plan_registry.application.visibility import plan_view
from plan_registry.domain.access import require_editor
from plan_registry.domain.hierarchy import check_period


@dataclass(frozen=True)
class UpdatePlan:
    principal: Principal
    plan_id: str
    patch: dict[str, Any]
    if_match: str | None


async def handle(command: UpdatePlan, uow: UnitOfWork) -> dict[str, Any]:
    principal, plan_id, patch = command.principal, command.plan_id, command.patch
    require_editor(principal)
    repos = repositories(uow)
    current = plan_dict(await repos.plans.get_for_update(plan_id))
    # The ETag clients hold is that of the plan as GET shows it.
    require_if_match(command.if_match, content_etag(await plan_view(repos, principal, plan_id)), "plan")
    merged = {**current, **patch}
    check_period(merged["start_fy"], merged["end_fy"])
    await check_plan_links(repos, plan_id, merged["predecessor_plan_id"], merged["successor_plan_id"])
    values = plan_values(merged)
    values.pop("code")
    await repos.plans.update(plan_id, **values)
    if "title" in patch:
        # The working draft's plan node carries the title too, so that diffs show a renaming.
        # Exclusive on the draft: its plan node is rewritten whole by a node change (update_node).
        latest = await repos.plans.get_version_for_write(plan_id, current["latest_version_id"], shared=False)
        if latest.status == "draft":
            await repos.nodes.rename(latest.id, plan_id, merged["title"])
    return await plan_view(repos, principal, plan_id)
