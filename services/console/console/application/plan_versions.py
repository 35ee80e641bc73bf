"""Query: the secretariat's plan work — each plan with its versions (newest first), the draft being
edited if there is one (a new draft is copied from the newest version, as the registry does
unless told otherwise: the approved plan, or during a revision the version under review)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.adapters.gateway_client import GatewayClient


@dataclass(frozen=True)
class PlanVersions:
    plan: dict[str, Any]
    versions: list[dict[str, Any]]  # newest first

    @property
    def draft(self) -> dict[str, Any] | None:
        return next((v for v in self.versions if v["status"] == "draft"), None)


async def versions_of(gateway: GatewayClient, plan: dict[str, Any]) -> PlanVersions:
    versions = await gateway.all_items(f"/api/v1/plans/{plan['id']}/versions")
    return PlanVersions(plan, sorted(versions, key=lambda v: v["number"], reverse=True))


async def handle(gateway: GatewayClient) -> list[PlanVersions]:
    plans = await gateway.all_items("/api/v1/plans")
    return [await versions_of(gateway, plan) for plan in plans]
