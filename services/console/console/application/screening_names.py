"""Names for the codes screening answers carry (strategies, projects, agencies), read from the
plan registry's approved version of the round's plan and its agency list."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from console.adapters.gateway_client import ApiProblem, GatewayClient

SUBCOMMITTEE = "operations-budget-subcommittee"
DECIDING_OFFICES = ("chair", "secretary")


@dataclass
class Names:
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    agencies: dict[str, dict[str, str]] = field(default_factory=dict)

    def node(self, node_id: str | None) -> dict[str, str]:
        found = self.nodes.get(node_id or "")
        if not found:
            return {"th": node_id or "", "en": node_id or ""}
        code = found.get("code") or ""
        name = found.get("name") or {}
        return {k: f"{code} {name.get(k) or name.get('th') or ''}".strip() for k in ("th", "en")}

    def agency(self, code: str | None) -> dict[str, str]:
        return self.agencies.get(code or "") or {"th": code or "", "en": code or ""}


async def names_for(gateway: GatewayClient, plan_id: str) -> Names:
    names = Names()

    # Names are a courtesy: when the registry refuses, the codes still show.
    async def nodes() -> None:
        try:
            plan = await gateway.get(f"/api/v1/plans/{plan_id}")
            version_id = plan.get("approved_version_id")
            if version_id:
                for node in await gateway.all_items(f"/api/v1/plans/{plan_id}/versions/{version_id}/nodes"):
                    names.nodes[node["id"]] = node
        except ApiProblem:
            pass

    async def agencies() -> None:
        try:
            for agency in await gateway.all_items("/api/v1/agencies"):
                names.agencies[agency["code"]] = agency["name"]
        except ApiProblem:
            pass

    await asyncio.gather(nodes(), agencies())
    return names


async def subcommittee_members(gateway: GatewayClient) -> list[dict[str, Any]]:
    try:
        body = await gateway.get(f"/api/v1/governance/bodies/{SUBCOMMITTEE}")
    except ApiProblem:
        return []
    return list(body.get("members", []))


def decides(members: list[dict[str, Any]], subject: str) -> bool:
    """Whether the person is the subcommittee's chair or secretary (who record its decisions)."""
    return any(m.get("subject") == subject and m.get("active") and m.get("role") in DECIDING_OFFICES for m in members)


async def decides_for_subcommittee(gateway: GatewayClient, subject: str) -> bool:
    return decides(await subcommittee_members(gateway), subject)


def people_names(me: tuple[str, str], members: list[dict[str, Any]]) -> dict[str, str]:
    """Names for the subject ids a history line carries. The API names no person but the signed-in
    one (her token's name) and, where the bodies API gives one, a member's ``name``; other actors
    keep their subject id."""
    found = {m["subject"]: str(m["name"]) for m in members if m.get("subject") and m.get("name")}
    subject, name = me
    if name:
        found[subject] = name
    return found
