"""Queries of the screening subcommittee's pages: the rounds, the board of one round (totals against
the ceiling, the funnel, status per strategy and agency, the requests filtered and sorted) and one
request with its history."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from console.adapters.gateway_client import GatewayClient
from console.application.screening_names import Names, decides_for_subcommittee, names_for
from console.domain.funnel import FunnelBar, funnel

SORTS = ("rank", "submitted", "requested_total", "-requested_total", "project")
FILTERS = ("decision", "strategy_id", "agency")


@dataclass(frozen=True)
class ShowBoard:
    round_id: str
    subject: str
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "rank"
    cursor: str | None = None


@dataclass(frozen=True)
class BoardView:
    round: dict[str, Any]
    status: dict[str, Any]
    funnel: tuple[FunnelBar, ...]
    by_strategy: list[dict[str, Any]]
    by_agency: list[dict[str, Any]]
    requests: list[dict[str, Any]]
    next_cursor: str | None
    names: Names
    filters: dict[str, str]
    sort: str
    can_decide: bool


async def rounds(gateway: GatewayClient) -> list[dict[str, Any]]:
    found = await gateway.all_items("/api/v1/screening/rounds")
    return sorted(found, key=lambda r: (-int(r["fiscal_year"]), r["opened_at"]))


async def board(query: ShowBoard, gateway: GatewayClient) -> BoardView:
    base = f"/api/v1/screening/rounds/{query.round_id}"
    filters = {k: v for k, v in query.filters.items() if k in FILTERS and v}
    sort = query.sort if query.sort in SORTS else "rank"
    params: dict[str, Any] = {**filters, "sort": sort, "limit": 200}
    if query.cursor:
        params["cursor"] = query.cursor
    # Independent reads, asked at once (the page's time is the slowest of them, not their sum).
    round_ = await gateway.get(base)
    status, strategies, agencies, page, can_decide, names = await asyncio.gather(
        gateway.get(f"{base}/status"), gateway.all_items(f"{base}/status/strategies"),
        gateway.all_items(f"{base}/status/agencies"), gateway.get(f"{base}/requests", params),
        decides_for_subcommittee(gateway, query.subject), names_for(gateway, round_["plan_id"]),
    )
    ceiling = Decimal(status["ceiling"])
    bars = funnel([("requested", Decimal(status["requested_total"])),
                   ("recommended", Decimal(status["recommended_total"])),
                   ("approved", Decimal(status["approved_total"]))], ceiling)
    return BoardView(
        round=round_, status=status, funnel=bars, by_strategy=strategies, by_agency=agencies,
        requests=page["items"], next_cursor=page.get("next_cursor"), names=names,
        filters=filters, sort=sort, can_decide=can_decide,
    )


@dataclass(frozen=True)
class ShowRequest:
    request_id: str
    subject: str
    oversight: bool


@dataclass(frozen=True)
class RequestView:
    request: dict[str, Any]
    etag: str | None
    round: dict[str, Any]
    names: Names
    can_decide: bool


async def request_page(query: ShowRequest, gateway: GatewayClient) -> RequestView:
    found, etag = await gateway.get_tagged(f"/api/v1/screening/requests/{query.request_id}")
    round_, names, can_decide = await asyncio.gather(
        gateway.get(f"/api/v1/screening/rounds/{found['round_id']}"), names_for(gateway, found["plan_id"]),
        decides_for_subcommittee(gateway, query.subject) if query.oversight else _false(),
    )
    return RequestView(found, etag, round_, names, can_decide)


async def _false() -> bool:
    return False
