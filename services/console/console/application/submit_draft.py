"""Use case: the secretariat submits a draft for approval; the registry freezes it and governance
starts (or, for a revision, resumes) the plan-approval workflow."""

from __future__ import annotations

from typing import Any

from console.adapters.gateway_client import GatewayClient


async def handle(plan_id: str, version_id: str, gateway: GatewayClient) -> dict[str, Any]:
    # The registry's submit is idempotent by state (a second submit of a frozen version is a 409
    # the page shows), so the form carries no Idempotency-Key the API would not read.
    return await gateway.post(f"/api/v1/plans/{plan_id}/versions/{version_id}/submit", {})
