"""Change a node of a draft version (If-Match: the node's ETag)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import invalid
from dgplan_shared.web.etags import content_etag, require_if_match, require_if_match_sent

from plan_registry.application.node_writes import DEFAULTS, authorize, publish_node_events, validate_node
from plan_registry.application.repositories import Repositories, repositories
from plan_registry.domain.node_rules import require_draft, strategy_ids


@dataclass(frozen=True)
class UpdateNode:
    principal: Principal
    plan_id: str
    version_id: str | None  # None: the plan's latest version
    node_id: str
    patch: dict[str, Any]
    if_match: str | None


async def apply_patch(command: UpdateNode, repos: Repositories, uow: UnitOfWork, current_etag: str | None = None) -> dict[str, Any]:
    """The change itself; ``current_etag`` overrides what If-Match is compared with (a project's
    ETag is that of its representation with plan and version ids)."""
    principal, patch = command.principal, command.patch
    plan = await repos.plans.get(command.plan_id)
    # Exclusive on the version: no registration runs into it meanwhile (a move re-points the
    # subtree's strategy, which a new child under it must not miss).
    version = await repos.plans.get_version_for_write(command.plan_id, command.version_id or plan.latest_version_id,
                                                      shared=False)
    current = await repos.nodes.load_node(version.id, command.node_id)
    authorize(principal, current)
    require_if_match_sent(command.if_match, "node")
    require_draft(version)
    require_if_match(command.if_match, current_etag or content_etag(current), "node")
    if current["node_type"] == "plan":
        if patch.get("parent_id") is not None:
            raise invalid("parent_id", "the plan node has no parent")
        if "code" in patch and patch["code"] != current["code"]:
            raise invalid("code", "the plan node carries the plan's code; it cannot be changed here")
    merged = {**current, **patch}
    for key in ("attributes", "roles", "focus_area_ids", "target_ids", "contributes_to"):
        if merged.get(key) is None:
            merged[key] = DEFAULTS[key]
    authorize(principal, merged)  # an agency may not hand its project's lead to someone else
    await validate_node(repos, plan, version.id, merged)
    await repos.nodes.update(version.id, merged)
    if merged.get("parent_id") != current.get("parent_id"):
        # After a move, every node below must point at its (possibly new) strategy: the moved
        # subtree, walked up through its new parent's line (nothing else's strategy changes).
        moved = await repos.nodes.subtree(version.id, command.node_id)
        line = {**await repos.nodes.ancestry(version.id, merged.get("parent_id")), **moved}
        wanted = strategy_ids(line)
        await repos.nodes.set_strategy_ids(version.id, {k: v for k, v in wanted.items() if k in moved})
    updated = await repos.nodes.load_node(version.id, command.node_id)
    await publish_node_events(uow, repos, command.plan_id, version.id, current, updated)
    return updated


async def handle(command: UpdateNode, uow: UnitOfWork) -> dict[str, Any]:
    return await apply_patch(command, repositories(uow), uow)
