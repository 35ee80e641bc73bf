"""Query: the redline between two versions of a plan (the registry's diff, named and labelled for a
person), with the plan's versions to choose from."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from console.adapters.gateway_client import GatewayClient
from console.domain.redline import Redline, redline


@dataclass(frozen=True)
class DiffView:
    plan: dict[str, Any]
    versions: list[dict[str, Any]]
    from_version: dict[str, Any]
    to_version: dict[str, Any]
    redline: Redline


async def compare(plan_id: str, from_id: str, to_id: str, gateway: GatewayClient) -> Redline:
    diff, nodes = await asyncio.gather(
        gateway.get(f"/api/v1/plans/{plan_id}/diff", {"from": from_id, "to": to_id}),
        gateway.all_items(f"/api/v1/plans/{plan_id}/versions/{to_id}/nodes"),
    )
    return redline(diff, {n["id"]: n.get("name") or {} for n in nodes})


def default_pair(versions: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The newest version against the one it was based on (or the one before it)."""
    if len(versions) < 2:
        return None
    newest = max(versions, key=lambda v: v["number"])
    base = next((v for v in versions if v["id"] == newest.get("based_on_version_id")), None)
    if base is None:
        base = max((v for v in versions if v["number"] < newest["number"]), key=lambda v: v["number"])
    return base["id"], newest["id"]


async def handle(plan_id: str, from_id: str | None, to_id: str | None, gateway: GatewayClient) -> DiffView | None:
    plan, versions = await asyncio.gather(
        gateway.get(f"/api/v1/plans/{plan_id}"), gateway.all_items(f"/api/v1/plans/{plan_id}/versions"),
    )
    versions.sort(key=lambda v: v["number"], reverse=True)
    if not (from_id and to_id):
        pair = default_pair(versions)
        if pair is None:
            return None
        from_id, to_id = pair
    by_id = {v["id"]: v for v in versions}
    lines = await compare(plan_id, from_id, to_id, gateway)
    return DiffView(plan, versions, by_id.get(from_id, {"id": from_id}), by_id.get(to_id, {"id": to_id}), lines)
