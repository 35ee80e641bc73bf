"""Query: each workflow's newest definition (plan approval, budget screening) with its stages in
order, the body deciding each (by name), deadlines and decision options."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from console.adapters.gateway_client import GatewayClient
from console.domain.workflow_stages import StageRow, newest_versions, outcome_names, stages_of


@dataclass(frozen=True)
class WorkflowView:
    key: str
    version: int
    versions: int
    title: dict[str, str]
    created_at: str | None
    stages: list[StageRow]
    outcomes: set[str]


@dataclass(frozen=True)
class WorkflowsPage:
    workflows: list[WorkflowView]
    bodies: dict[str, dict[str, str]]

    def body(self, code: str) -> dict[str, str]:
        return self.bodies.get(code) or {"th": code, "en": code}


async def handle(gateway: GatewayClient) -> WorkflowsPage:
    # The workflows list takes no paging parameters: a handful of definitions come in one answer.
    answer, bodies = await asyncio.gather(
        gateway.get("/api/v1/governance/workflows"), gateway.all_items("/api/v1/governance/bodies")
    )
    listed: list[dict[str, Any]] = answer["items"]
    counts: dict[str, int] = {}
    for item in listed:
        counts[item["key"]] = counts.get(item["key"], 0) + 1
    views = []
    for item in newest_versions(listed):
        definition: dict[str, Any] = item["definition"]
        views.append(WorkflowView(
            key=item["key"], version=item["version"], versions=counts[item["key"]],
            title=definition.get("title") or {"th": item["key"], "en": item["key"]},
            created_at=item.get("created_at"), stages=stages_of(definition), outcomes=outcome_names(definition),
        ))
    return WorkflowsPage(views, {b["code"]: b["name"] for b in bodies})
