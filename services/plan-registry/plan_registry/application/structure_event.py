"""The structure-published event of a version, with the goals its framework links count to."""

from __future__ import annotations

from typing import Any

from plan_registry.application.repositories import Repositories
from plan_registry.events.payloads import structure_published


async def structure_event(repos: Repositories, plan: dict[str, Any], version_id: str,
                          content: list[dict[str, Any]]) -> dict[str, Any]:
    used = {link["framework"] for n in content for link in n.get("contributes_to") or []}
    return structure_published(plan, version_id, content, await repos.frameworks.trees(used))
