"""Events that follow a node write: project registered / changed, agency role assigned."""

from __future__ import annotations

from typing import Any

from dgplan_shared.db.uow import UnitOfWork

from plan_registry import store
from plan_registry.events import PROJECT_CHANGED, PROJECT_REGISTERED, ROLE_ASSIGNED
from plan_registry.events.payloads import project_snapshot, role_assigned


async def project_event_data(uow: UnitOfWork, plan_id: str, version_id: str, project: dict[str, Any]) -> dict[str, Any]:
    shape = await store.node_types(uow.session, version_id)
    by_id = {k: {"id": k, "node_type": v[0], "parent_id": v[1]} for k, v in shape.items()}
    return project_snapshot(plan_id, version_id, project, by_id)


async def publish_node_events(
    uow: UnitOfWork, plan_id: str, version_id: str, before: dict[str, Any] | None, after: dict[str, Any]
) -> None:
    if after["node_type"] == "project" and before != after:
        data = await project_event_data(uow, plan_id, version_id, after)
        await uow.publish(PROJECT_CHANGED if before is not None else PROJECT_REGISTERED, after["id"], data)
    old = {(r["agency"], r["role"]) for r in (before or {}).get("roles", [])}
    for r in after["roles"]:
        if (r["agency"], r["role"]) not in old:
            await uow.publish(ROLE_ASSIGNED, after["id"], role_assigned(plan_id, after, r["agency"], r["role"]))
