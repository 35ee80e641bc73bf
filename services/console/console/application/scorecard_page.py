"""Query: the public scorecard of an approved plan for one fiscal year, as the monitoring service
computes it (statuses rolled up to strategies, plan targets and the plan; completeness; budget
execution; plan-level indicators with their targets and actuals)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from console.adapters.gateway_client import ApiProblem, GatewayClient
from console.application.public_plan import approved_plan
from console.domain.scorecard_view import chosen_fiscal_year, plan_fiscal_years


@dataclass(frozen=True)
class ShowScorecard:
    plan_id: str
    fiscal_year: int | None
    today: date


@dataclass(frozen=True)
class ScorecardView:
    plan: dict[str, Any]
    fiscal_year: int
    fiscal_years: list[int]
    card: dict[str, Any]


async def handle(query: ShowScorecard, gateway: GatewayClient) -> ScorecardView:
    plan = await approved_plan(gateway, query.plan_id)
    year = chosen_fiscal_year(query.fiscal_year, plan, query.today)
    if year is None:
        raise ApiProblem(404, "No fiscal years", "The plan declares no fiscal years to report on.")
    # The approved version's projects only: what the public may see, whoever asks.
    card = await gateway.get(f"/api/v1/monitoring/plans/{plan['id']}/scorecard",
                             {"fiscal_year": year, "version": "approved"})
    return ScorecardView(plan, year, plan_fiscal_years(plan), card)
