"""A node of a draft as the secretariat edits it: the form's query (the node with the ETag it was
read at, and the agencies a role may name) and the two changes it sends — a PATCH of names, budget
and removed roles with If-Match of the node shown, and a new agency role."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from console.adapters.gateway_client import GatewayClient


@dataclass(frozen=True)
class NodeForm:
    plan: dict[str, Any]
    version: dict[str, Any]
    node: dict[str, Any]
    etag: str | None
    agencies: list[dict[str, Any]]

    @property
    def budget_text(self) -> str:
        """The budget as the form shows it, with thousands separators (the form reads them back)."""
        value = self.node.get("budget_framework")
        return f"{Decimal(value):,}" if value is not None else ""


def _node_path(plan_id: str, version_id: str, node_id: str) -> str:
    return f"/api/v1/plans/{plan_id}/versions/{version_id}/nodes/{node_id}"


async def show(plan_id: str, version_id: str, node_id: str, gateway: GatewayClient) -> NodeForm:
    plan, version, tagged, agencies = await asyncio.gather(
        gateway.get(f"/api/v1/plans/{plan_id}"),
        gateway.get(f"/api/v1/plans/{plan_id}/versions/{version_id}"),
        gateway.get_tagged(_node_path(plan_id, version_id, node_id)),
        gateway.all_items("/api/v1/agencies"),
    )
    node, etag = tagged
    return NodeForm(plan, version, node, etag, sorted(agencies, key=lambda a: a["code"]))


@dataclass(frozen=True)
class ChangeNode:
    plan_id: str
    version_id: str
    node_id: str
    patch: dict[str, Any]
    if_match: str


async def change(command: ChangeNode, gateway: GatewayClient) -> dict[str, Any]:
    return await gateway.patch(_node_path(command.plan_id, command.version_id, command.node_id), command.patch,
                               command.if_match)


@dataclass(frozen=True)
class AddRole:
    plan_id: str
    version_id: str
    node_id: str
    agency: str
    role: str
    idempotency_key: str


async def add_role(command: AddRole, gateway: GatewayClient) -> dict[str, Any]:
    return await gateway.post(f"{_node_path(command.plan_id, command.version_id, command.node_id)}/roles",
                              {"agency": command.agency, "role": command.role},
                              idempotency_key=command.idempotency_key)
