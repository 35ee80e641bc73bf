"""Use case: the secretariat drafts a new version of a plan, copied by the registry from the version
it names (the approved one, unless another is chosen). The form's idempotency key makes a double
submit one draft."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.adapters.gateway_client import GatewayClient


@dataclass(frozen=True)
class DraftVersion:
    plan_id: str
    based_on_version_id: str | None
    idempotency_key: str


async def handle(command: DraftVersion, gateway: GatewayClient) -> dict[str, Any]:
    body = {"based_on_version_id": command.based_on_version_id} if command.based_on_version_id else {}
    return await gateway.post(f"/api/v1/plans/{command.plan_id}/versions", body,
                              idempotency_key=command.idempotency_key)
