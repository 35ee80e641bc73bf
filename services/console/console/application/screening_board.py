"""Queries of the screening subcommittee's pages: the rounds, the board of one round (totals against
the ceiling, the funnel, status per strategy and agency, the requests filtered and sorted a page at
a time, and once the package is with the committee, where its approval stands) and one request
with its history."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from console.adapters.gateway_client import ApiProblem, GatewayClient
from console.application.screening_names import (
    Names, decides, decides_for_subcommittee, names_for, people_names, subcommittee_members,
)
from console.domain.funnel import FunnelBar, funnel
from console.domain.quorum import Standing, standing

PAGE_SIZE = 50  # requests per page of the board: a round of 10,000 is read and drawn a page at a time
SCREENING_WORKFLOW = "budget-screening"
COMMITTEE = "digital-government-committee"
COMMITTEE_STAGE = "committee-approval"
COMMITTEE_CHOICES = ["approve", "return"]
SORTS = ("rank", "ranking", "submitted", "requested_total", "-requested_total", "project")
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
    committee: CommitteeView | None = None
    first_page: bool = True

    @property
    def ranking(self) -> dict[str, Any] | None:
        """The round's priority ranking as the status API gives it (its cut line under the ceiling),
        or None when the round has no ranking criteria."""
        return self.status.get("ranking")

    def cut_line_before(self, request: dict[str, Any]) -> bool:
        """In ranking order, the cut line is drawn just above the first request that does not fit."""
        ranked, ranking = request.get("ranking"), self.ranking
        return bool(self.sort == "ranking" and ranked and ranking
                    and ranked["rank"] == ranking["cut_line"]["above_count"] + 1)

    def cut_line_after(self, request: dict[str, Any]) -> bool:
        """...or below the last request, when every request fits."""
        ranked, ranking = request.get("ranking"), self.ranking
        if not (self.sort == "ranking" and ranked and ranking):
            return False
        line = ranking["cut_line"]
        return line["below_count"] == 0 and ranked["rank"] == line["above_count"]


@dataclass(frozen=True)
class CommitteeView:
    """Where the round's governance instance stands: while the committee decides on the package, its
    quorum and tally as they stand."""
    instance: dict[str, Any]
    standing: Standing | None  # only at the committee's stage

    @property
    def deciding(self) -> bool:
        return self.standing is not None


async def committee_of(gateway: GatewayClient, round_id: str) -> CommitteeView | None:
    try:
        return await _committee_of(gateway, round_id)
    except ApiProblem:
        return None  # a courtesy beside the ledger's figures: the board stands without it


async def _committee_of(gateway: GatewayClient, round_id: str) -> CommitteeView | None:
    found = await gateway.get("/api/v1/governance/instances",
                              {"round_id": round_id, "workflow": SCREENING_WORKFLOW, "limit": 50})
    if not found["items"]:
        return None  # the engine starts the instance on the round's event: a moment after the opening
    latest = found["items"][-1]  # oldest first
    if latest["stage"] != COMMITTEE_STAGE or latest["status"] != "active":
        return CommitteeView(latest, None)
    instance, body = await asyncio.gather(gateway.get(f"/api/v1/governance/instances/{latest['id']}"),
                                          gateway.get(f"/api/v1/governance/bodies/{COMMITTEE}"))
    active = [m for m in body.get("members", []) if m.get("active")]
    return CommitteeView(instance, standing(body.get("rule", {}), len(active), instance.get("votes", []),
                                            COMMITTEE_CHOICES))


async def rounds(gateway: GatewayClient) -> list[dict[str, Any]]:
    found = await gateway.all_items("/api/v1/screening/rounds")
    return sorted(found, key=lambda r: (-int(r["fiscal_year"]), r["opened_at"]))


async def board(query: ShowBoard, gateway: GatewayClient) -> BoardView:
    base = f"/api/v1/screening/rounds/{query.round_id}"
    filters = {k: v for k, v in query.filters.items() if k in FILTERS and v}
    sort = query.sort if query.sort in SORTS else "rank"
    params: dict[str, Any] = {**filters, "sort": sort, "limit": PAGE_SIZE}
    if query.cursor:
        params["cursor"] = query.cursor
    # Independent reads, asked at once (the page's time is the slowest of them, not their sum).
    round_ = await gateway.get(base)
    # The committee's standing matters once the package left the subcommittee.
    committee = committee_of(gateway, query.round_id) if round_["status"] != "open" else _nothing()
    status, strategies, agencies, page, can_decide, names, standing_now = await asyncio.gather(
        gateway.get(f"{base}/status"), gateway.all_items(f"{base}/status/strategies"),
        gateway.all_items(f"{base}/status/agencies"), gateway.get(f"{base}/requests", params),
        decides_for_subcommittee(gateway, query.subject), names_for(gateway, round_["plan_id"]), committee,
    )
    ceiling = Decimal(status["ceiling"])
    bars = funnel([("requested", Decimal(status["requested_total"])),
                   ("recommended", Decimal(status["recommended_total"])),
                   ("approved", Decimal(status["approved_total"]))], ceiling)
    return BoardView(
        round=round_, status=status, funnel=bars, by_strategy=strategies, by_agency=agencies,
        requests=page["items"], next_cursor=page.get("next_cursor"), names=names,
        filters=filters, sort=sort, can_decide=can_decide, committee=standing_now, first_page=not query.cursor,
    )


async def _nothing() -> None:
    return None


@dataclass(frozen=True)
class ShowRequest:
    request_id: str
    subject: str
    oversight: bool
    name: str = ""  # the signed-in person's, for her own history lines


@dataclass(frozen=True)
class RequestView:
    request: dict[str, Any]
    etag: str | None
    round: dict[str, Any]
    names: Names
    can_decide: bool
    people: dict[str, str] = field(default_factory=dict)  # subject → name, where known

    def person(self, subject: str) -> str:
        return self.people.get(subject) or subject


async def request_page(query: ShowRequest, gateway: GatewayClient) -> RequestView:
    found, etag = await gateway.get_tagged(f"/api/v1/screening/requests/{query.request_id}")
    round_, names, members = await asyncio.gather(
        gateway.get(f"/api/v1/screening/rounds/{found['round_id']}"), names_for(gateway, found["plan_id"]),
        subcommittee_members(gateway) if query.oversight else _none(),
    )
    return RequestView(found, etag, round_, names, decides(members, query.subject),
                       people_names((query.subject, query.name), members))


async def _none() -> list[dict[str, Any]]:
    return []
