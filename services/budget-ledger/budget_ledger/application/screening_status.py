"""Screening status for subcommittees: counts and amounts per decision, what is unscreened,
time to each deadline — for the whole round or per strategy, agency or project.

Everything is one GROUP BY over ``screening_requests`` on the (round_id, …) indexes, so a round of
10,000 requests answers in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from budget_ledger.adapters.screening_repository import GROUP_COLUMNS
from budget_ledger.application import ranking
from budget_ledger.application.access import require_oversight
from budget_ledger.application.ledger_queries import next_cursor, position
from budget_ledger.application.repositories import repositories
from budget_ledger.domain.screening import DECISIONS, UNSCREENED, RoundStatus
from dgplan_contracts.money import money_str
from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found

DIMENSIONS = GROUP_COLUMNS


@dataclass(frozen=True)
class RoundStatusQuery:
    round_id: str
    filters: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class GroupedStatus:
    round_id: str
    dimension: str
    limit: int = 100
    cursor: str | None = None


@dataclass(frozen=True)
class Results:
    round_id: str
    viewer: Principal | None  # anyone once published; before, oversight only (the public gets a 404)
    limit: int = 100
    cursor: str | None = None




def _empty() -> dict[str, Any]:
    return {"count": 0, "requested": Decimal("0.00"), "recommended": Decimal("0.00"), "approved": Decimal("0.00")}


def _fold(rows: list[Any]) -> dict[str, Any]:
    """Rows of (decision, count, requested, recommended, approved) → one summary."""
    per = {d: _empty() for d in (*DECISIONS, UNSCREENED)}
    for decision, count, requested, recommended, approved in rows:
        bucket = per[decision or UNSCREENED]
        count, requested, recommended, approved = int(count), Decimal(requested), Decimal(recommended), Decimal(approved)
        bucket["count"] += count
        bucket["requested"] += requested
        bucket["recommended"] += recommended
        bucket["approved"] += approved
    total = _empty()
    for bucket in per.values():
        for k in total:
            total[k] += bucket[k]
    render = lambda b: {  # noqa: E731
        "count": b["count"],
        "requested": money_str(b["requested"]),
        "recommended": money_str(b["recommended"]),
        "approved": money_str(b["approved"]),
    }
    return {
        "request_count": total["count"],
        "screened_count": total["count"] - per[UNSCREENED]["count"],
        "requested_total": money_str(total["requested"]),
        "recommended_total": money_str(total["recommended"]),
        "approved_total": money_str(total["approved"]),
        "unscreened": render(per[UNSCREENED]),
        "decisions": {d: render(per[d]) for d in DECISIONS},
        "_recommended": total["recommended"],
    }


def _deadline(at: datetime, now: datetime) -> dict[str, Any]:
    seconds = int((at - now).total_seconds())
    return {"at": at.isoformat(), "seconds_left": max(seconds, 0), "passed": seconds < 0}


def _summary(round_row: Any, now: datetime, filters: dict[str, str | None], rows: list[Any]) -> dict[str, Any]:
    summary = _fold(rows)
    recommended = summary.pop("_recommended")
    return {
        "round_id": round_row["round_id"],
        "fiscal_year": round_row["fiscal_year"],
        "status": round_row["status"],
        "filters": {k: v for k, v in filters.items() if v is not None},
        "as_of": now.isoformat(),
        "deadlines": {
            "submission": _deadline(round_row["submission_deadline"], now),
            "decision": _deadline(round_row["decision_deadline"], now),
        },
        "ceiling": money_str(round_row["ceiling"]),
        "ceiling_remaining": money_str(round_row["ceiling"] - recommended),
        **summary,
    }


async def round_status(query: RoundStatusQuery, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    round_row = await repos.screening.round(query.round_id)
    rows = await repos.screening.status_rows(query.round_id, query.filters)
    summary = _summary(round_row, utcnow(), query.filters, rows)
    # The priority ranking's cut line is the whole round's (the ceiling is), whatever the filters;
    # null for a round without ranking criteria.
    view = await ranking.ranking_of(repos, round_row)
    summary["ranking"] = ranking.summary_json(view)
    if query.filters.get("project_id") is not None and view is not None:
        ranked = [i for i in view.ranking.items
                  if view.requests.get(i.request_id, {}).get("project_id") == query.filters["project_id"]]
        summary["rank"] = ranking.rank_json(ranked[0]) if ranked else None
    return summary


async def grouped_status(query: GroupedStatus, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    round_row = await repos.screening.round(query.round_id)  # 404 for a round that does not exist
    offset = position(query.cursor) or 0
    if query.dimension == "projects":  # one request per project and round: the requests themselves, in pages
        rows = await repos.screening.project_rows(query.round_id, offset, query.limit)
        view = await ranking.ranking_of(repos, round_row)
        by_project = {} if view is None else {
            view.requests[i.request_id]["project_id"]: i for i in view.ranking.items if i.request_id in view.requests}
        items = []
        for row in rows[: query.limit]:
            summary = _fold([tuple(row[:5])])
            summary.pop("_recommended")
            items.append({"project_id": row[5], **summary, "rank": ranking.rank_json(by_project.get(row[5]))})
        more = len(rows) > query.limit
    else:
        by_key: dict[str, list[Any]] = {}
        for row in await repos.screening.tally_rows_by(query.round_id, query.dimension):
            by_key.setdefault(row[0], []).append(tuple(row[1:]))
        keys = [k for k in sorted(by_key) if any(r[1] for r in by_key[k])]  # groups that hold requests
        items = []
        for key in keys[offset : offset + query.limit]:
            summary = _fold(by_key[key])
            summary.pop("_recommended")
            items.append({DIMENSIONS[query.dimension]: key, **summary})
        more = len(keys) > offset + query.limit
    return {
        "round_id": query.round_id,
        "dimension": query.dimension,
        "items": items,
        "next_cursor": next_cursor(offset + query.limit) if more else None,
    }


@dataclass(frozen=True)
class RoundResults:
    round: Any
    summary: dict[str, Any]
    requests: list[Any]
    next_cursor: str | None


async def results(query: Results, uow: UnitOfWork) -> RoundResults:
    """A closed round's published results; unpublished ones do not exist for the public."""
    repos = repositories(uow)
    round_row = await repos.screening.round(query.round_id)
    published = round_row["status"] == RoundStatus.CLOSED.value and round_row["published"]
    if not published:
        if query.viewer is None:
            raise not_found("published results of round", query.round_id)
        require_oversight(query.viewer)
    summary = _summary(round_row, utcnow(), {}, await repos.screening.status_rows(query.round_id, {}))
    offset = position(query.cursor) or 0
    rows = await repos.screening.requests(query.round_id, {}, "rank", offset, query.limit)
    more = len(rows) > query.limit
    return RoundResults(round_row, summary, rows[: query.limit], next_cursor(offset + query.limit) if more else None)
