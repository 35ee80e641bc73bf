"""Queries: a plan's published screening results. The index shows what the public may read without
signing in — the approved allocations per fiscal year, strategy and agency as monitoring records
the ledger's postings — and the rounds whose results are published (the ledger's public list; for
oversight roles every round whose package the committee approved). One round's page reads the ledger's public results (every page of them) and
sums them per strategy and per agency."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from console.adapters.gateway_client import ApiProblem, GatewayClient
from console.application.public_plan import approved_plan
from console.application.screening_names import Names, names_for
from console.domain.published_results import GroupTotal, approved_rounds, approved_sum, in_approval_order, totals_by

RESULTS_PAGE = 500  # requests per call to the ledger's results (its cursor): a round is read whole


@dataclass(frozen=True)
class YearAllocations:
    fiscal_year: int
    allocated: Decimal
    by_strategy: list[dict[str, Any]]
    by_agency: list[dict[str, Any]]


@dataclass(frozen=True)
class ResultsIndex:
    plan: dict[str, Any]
    years: list[YearAllocations]
    rounds: list[dict[str, Any]]
    names: Names


@dataclass(frozen=True)
class RoundResults:
    plan: dict[str, Any]
    round: dict[str, Any]
    summary: dict[str, Any]
    requests: list[dict[str, Any]]
    by_strategy: list[GroupTotal]
    by_agency: list[GroupTotal]
    approved_total: Decimal
    names: Names


async def _rounds(gateway: GatewayClient, plan_id: str, oversees: bool) -> list[dict[str, Any]]:
    """Oversight roles see every approved round (published or not); everyone else, the public list
    of rounds whose results are published."""
    path = "/api/v1/screening/rounds" if oversees else "/api/v1/screening/published-rounds"
    return approved_rounds(await gateway.all_items(path, {"plan_id": plan_id}, limit=100), oversees)


async def _allocations(gateway: GatewayClient, plan_id: str) -> list[YearAllocations]:
    execution = "/api/v1/monitoring/budget-execution"
    per_year = await gateway.get(execution, {"group_by": "fiscal_year", "plan_id": plan_id})
    years = [(row["fiscal_year"], Decimal(row.get("allocated") or "0")) for row in per_year.get("rows", [])
             if row.get("fiscal_year") and Decimal(row.get("allocated") or "0") > 0]

    async def year(fiscal_year: int, allocated: Decimal) -> YearAllocations:
        strategies, agencies = await asyncio.gather(
            gateway.get(execution, {"group_by": "strategy", "plan_id": plan_id, "fiscal_year": fiscal_year}),
            gateway.get(execution, {"group_by": "agency", "plan_id": plan_id, "fiscal_year": fiscal_year}),
        )
        return YearAllocations(fiscal_year, allocated, strategies.get("rows", []),
                               [r for r in agencies.get("rows", []) if Decimal(r.get("allocated") or "0") > 0])

    found = await asyncio.gather(*(year(y, a) for y, a in years))
    return sorted(found, key=lambda y: -y.fiscal_year)


async def index(plan_id: str, oversees: bool, gateway: GatewayClient) -> ResultsIndex:
    """``oversees``: the caller holds an oversight role (may read results before they are published)."""
    plan = await approved_plan(gateway, plan_id)
    years, rounds, names = await asyncio.gather(_allocations(gateway, plan["id"]),
                                                _rounds(gateway, plan["id"], oversees),
                                                names_for(gateway, plan["id"]))
    return ResultsIndex(plan, years, rounds, names)


async def round_results(plan_id: str, round_id: str, gateway: GatewayClient) -> RoundResults:
    plan = await approved_plan(gateway, plan_id)
    path = f"/api/v1/screening/rounds/{round_id}/results"
    first = await gateway.get(path, {"limit": RESULTS_PAGE})
    if first["round"].get("plan_id") != plan["id"]:
        raise ApiProblem(404, "Not found", "This screening round belongs to another plan.")
    items = list(first["items"])
    cursor = first.get("next_cursor")
    while cursor:
        page = await gateway.get(path, {"limit": RESULTS_PAGE, "cursor": cursor})
        items.extend(page["items"])
        cursor = page.get("next_cursor")
    names = await names_for(gateway, plan["id"])
    return RoundResults(plan, first["round"], first["summary"], in_approval_order(items),
                        totals_by(items, "strategy_id"), totals_by(items, "agency"), approved_sum(items), names)
