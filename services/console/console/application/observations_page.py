"""Query: the observations reviewing bodies made on a plan's versions, newest version first, each
with its answer (the registry's observation and its history: who raised it, who answered, when)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from console.adapters.gateway_client import GatewayClient


@dataclass(frozen=True)
class ObservationView:
    observation: dict[str, Any]
    history: list[dict[str, Any]]

    @property
    def answerable(self) -> bool:
        # As the registry allows: an open one is answered, an answered one may be answered again
        # (until the body resolves it); an accepted, rejected or closed one takes no answer (409).
        return self.observation["status"] in ("open", "responded")

    @property
    def answered_at(self) -> str | None:
        steps = [h for h in self.history if h["action"] == "responded"]
        return steps[-1]["at"] if steps else None


@dataclass(frozen=True)
class VersionObservations:
    version: dict[str, Any]
    observations: list[ObservationView]


async def _with_history(gateway: GatewayClient, observation: dict[str, Any]) -> ObservationView:
    history = await gateway.all_items(f"/api/v1/observations/{observation['id']}/history")
    return ObservationView(observation, history)


async def of_versions(gateway: GatewayClient, plan_id: str, versions: list[dict[str, Any]]) -> list[VersionObservations]:
    """``versions`` in the order to show; versions without observations are left out."""
    found = []
    for version in versions:
        observations = await gateway.all_items("/api/v1/observations", {"plan_id": plan_id, "version_id": version["id"]})
        if observations:
            views = await asyncio.gather(*(_with_history(gateway, o) for o in observations))
            found.append(VersionObservations(version, list(views)))
    return found


async def handle(plan_id: str, gateway: GatewayClient) -> tuple[dict[str, Any], list[VersionObservations]]:
    plan, versions = await asyncio.gather(
        gateway.get(f"/api/v1/plans/{plan_id}"), gateway.all_items(f"/api/v1/plans/{plan_id}/versions"),
    )
    versions.sort(key=lambda v: v["number"], reverse=True)
    return plan, await of_versions(gateway, plan_id, versions)
