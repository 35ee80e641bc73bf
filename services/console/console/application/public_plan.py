"""The approved plan a public page is about: by its id, or the first plan with an approved version
(what ``/`` shows), refused as a 404 problem while none is approved."""

from __future__ import annotations

from typing import Any

from console.adapters.gateway_client import ApiProblem, GatewayClient


async def approved_plan(gateway: GatewayClient, plan_id: str | None) -> dict[str, Any]:
    if plan_id is None:
        plans = await gateway.all_items("/api/v1/plans")
        approved = [p for p in plans if p.get("approved_version_id")]
        if not approved:
            raise ApiProblem(404, "No approved plan yet", "The plan registry holds no approved plan to show.")
        return approved[0]
    plan = await gateway.get(f"/api/v1/plans/{plan_id}")
    if not plan.get("approved_version_id"):
        raise ApiProblem(404, "Not approved yet", "This plan has no approved version to show.")
    return plan
