"""Query: what waits for the signed-in member's bodies, soonest deadline first, with overdue marks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from console.adapters.gateway_client import GatewayClient
from console.domain.formatting import days_left, is_overdue


@dataclass(frozen=True)
class ShowInbox:
    now: datetime


@dataclass(frozen=True)
class InboxItem:
    instance: dict[str, Any]
    body_name: dict[str, str]
    subject_title: dict[str, str]
    version_number: int | None
    overdue: bool
    days_left: int | None


async def body_names(gateway: GatewayClient) -> dict[str, dict[str, str]]:
    bodies = await gateway.all_items("/api/v1/governance/bodies")
    return {b["code"]: b["name"] for b in bodies}


async def subject_of(gateway: GatewayClient, instance: dict[str, Any], cache: dict[str, Any]) -> tuple[dict, int | None]:
    """The plan (and version number) or screening round an instance decides."""
    plan_id, version_id = instance.get("plan_id"), instance.get("version_id")
    # A screening round's instance names its plan too: the round is what it decides.
    if instance.get("round_id"):
        year = instance.get("fiscal_year")
        return {"th": f"รอบกลั่นกรองงบประมาณ ปีงบประมาณ {year}", "en": f"Budget screening round, FY {year}"}, None
    if plan_id:
        if plan_id not in cache:
            cache[plan_id] = await gateway.get(f"/api/v1/plans/{plan_id}")
        number = None
        if version_id:
            key = f"{plan_id}/{version_id}"
            if key not in cache:
                cache[key] = await gateway.get(f"/api/v1/plans/{plan_id}/versions/{version_id}")
            number = cache[key].get("number")
        return cache[plan_id]["title"], number
    return {"th": instance["workflow"], "en": instance["workflow"]}, None


async def handle(query: ShowInbox, gateway: GatewayClient) -> list[InboxItem]:
    instances = await gateway.all_items("/api/v1/governance/inbox")
    names = await body_names(gateway) if instances else {}
    cache: dict[str, Any] = {}
    items = []
    for instance in instances:
        title, number = await subject_of(gateway, instance, cache)
        items.append(
            InboxItem(
                instance=instance,
                body_name=names.get(instance["body"], {"th": instance["body"], "en": instance["body"]}),
                subject_title=title,
                version_number=number,
                overdue=is_overdue(instance.get("due_at"), query.now),
                days_left=days_left(instance.get("due_at"), query.now),
            )
        )
    return items
