"""Which plan and version a caller may read (shared by the read use cases and some writes)."""

from __future__ import annotations

from typing import Any

from dgplan_contracts.identity import Principal

from plan_registry.adapters.plan_repository import plan_dict
from plan_registry.application.repositories import Repositories
from plan_registry.domain.access import is_privileged_reader, version_visibility


async def plan_view(repos: Repositories, principal: Principal | None, plan_id: str) -> dict[str, Any]:
    """The plan as GET shows it (its ETag is what an update's If-Match must carry)."""
    row = await repos.plans.get(plan_id)
    if row.approved_version_id is None:
        version_visibility(principal, "draft")  # raises for the public
    plan = plan_dict(row)
    latest = await repos.plans.get_version(plan_id, row.latest_version_id)
    plan["latest_version_status"] = latest.status
    return plan


async def version_for_read(repos: Repositories, principal: Principal | None, plan_id: str, version_id: str | None) -> Any:
    """The named version, or by default the one the caller should see (approved for the public)."""
    plan = await repos.plans.get(plan_id)
    if version_id is None:
        privileged = is_privileged_reader(principal) or plan.approved_version_id is None
        version_id = plan.latest_version_id if privileged else plan.approved_version_id
    version = await repos.plans.get_version(plan_id, version_id)
    version_visibility(principal, version.status)
    return version
