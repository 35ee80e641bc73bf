"""Query: one stage under decision — what is decided, by which body, by when, and the quorum and
tally as they stand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from console.adapters.gateway_client import GatewayClient
from console.application.inbox import subject_of
from console.domain.formatting import days_left, is_overdue
from console.domain.quorum import Standing, standing


@dataclass(frozen=True)
class ShowDecision:
    instance_id: str
    subject: str
    now: datetime


@dataclass(frozen=True)
class DecisionView:
    instance: dict[str, Any]
    body: dict[str, Any]
    subject_title: dict[str, str]
    version_number: int | None
    decisions: list[str]
    mode: str
    standing: Standing
    my_vote: dict[str, Any] | None
    is_member: bool
    overdue: bool
    days_left: int | None


async def handle(query: ShowDecision, gateway: GatewayClient) -> DecisionView:
    instance = await gateway.get(f"/api/v1/governance/instances/{query.instance_id}")
    body = await gateway.get(f"/api/v1/governance/bodies/{instance['body']}")
    waiting = await gateway.all_items("/api/v1/governance/inbox")
    entry = next((i for i in waiting if i["id"] == instance["id"]), None)
    decisions = entry["decisions"] if entry else []
    mode = entry["mode"] if entry else "vote"
    active = [m for m in body.get("members", []) if m.get("active")]
    votes = instance.get("votes", [])
    title, number = await subject_of(gateway, instance, {})
    return DecisionView(
        instance=instance,
        body=body,
        subject_title=title,
        version_number=number,
        decisions=decisions,
        mode=mode,
        standing=standing(body.get("rule", {}), len(active), votes, decisions),
        my_vote=next((v for v in votes if v["voter"] == query.subject), None),
        is_member=entry is not None,
        overdue=is_overdue(instance.get("due_at"), query.now),
        days_left=days_left(instance.get("due_at"), query.now),
    )
