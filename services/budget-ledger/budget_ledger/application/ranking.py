"""The priority ranking of a round's requests (issue 17): the secretariat's criteria, the scores,
the ranking read with its cut line under the ceiling, and its freezing when the committee approves.

While the round is open the criteria and scores may change (each change is a new version of the
draft ranking) and the ranks are computed from them on every read (``domain/ranking.py``). The
ranking goes to the committee with the round's package: the package is refused while a request
lacks a score on some criterion, nothing changes while the package is with the committee (the
round is not open), a returned package reopens the ranking with the decisions, and the committee's
approval of the package approves the ranking too: its ranks, scores and cut line are then frozen
(``ranking_results``) and every later change is refused with 409 ``ranking-frozen``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from dgplan_contracts.money import money_str
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError, conflict, invalid

from budget_ledger.application.ledger_queries import next_cursor, position
from budget_ledger.application.repositories import repositories
from budget_ledger.domain.ranking import (
    Candidate,
    Criterion,
    CutLine,
    Ranked,
    Ranking,
    amount_of,
    check_score,
    check_weight,
    rank,
)
from budget_ledger.domain.screening import RoundStatus
from budget_ledger.events.types import RANKING_APPROVED

APPROVED = "approved"
DRAFT = "draft"


@dataclass(frozen=True)
class PutCriteria:
    round_id: str
    criteria: tuple[Criterion, ...]
    actor: str


@dataclass(frozen=True)
class Score:
    request_id: str
    criterion: str
    score: Decimal
    reason: str


@dataclass(frozen=True)
class PutScores:
    round_id: str
    scores: tuple[Score, ...]
    actor: str


@dataclass(frozen=True)
class GetRanking:
    round_id: str
    limit: int = 1000
    cursor: str | None = None


@dataclass(frozen=True)
class RankingView:
    """A round's ranking: its row (None while no criterion was ever set), criteria, each request's
    facts and scores, and the ranks with the cut line (frozen once approved)."""

    round: Any
    row: Any | None
    criteria: list[Criterion]
    ranking: Ranking
    requests: dict[str, Any] = field(default_factory=dict)
    scores: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    offset: int = 0
    limit: int = 1000

    @property
    def status(self) -> str | None:
        return self.row["status"] if self.row else None

    @property
    def page(self) -> tuple[Ranked, ...]:
        return self.ranking.items[self.offset : self.offset + self.limit]

    @property
    def next_cursor(self) -> str | None:
        return next_cursor(self.offset + self.limit) if len(self.ranking.items) > self.offset + self.limit else None


# --- reading ------------------------------------------------------------------------------------


async def _compute(repos: Any, round_row: Any, row: Any | None) -> tuple[list[Criterion], dict, dict, Ranking]:
    round_id = round_row["round_id"]
    criteria = await repos.ranking.criteria(round_id)
    scores = await repos.ranking.scores(round_id)
    requests = {q["request_id"]: q for q in await repos.ranking.candidates(round_id)}
    if row is not None and row["status"] == APPROVED:
        # As the committee approved it: the ranks and the line frozen then, not computed again.
        items = tuple(await repos.ranking.frozen(round_id))
        total = items[-1].cumulative if items else Decimal("0.00")
        line = CutLine(row["ceiling"], row["above_count"], row["above_total"], total, len(items))
        return criteria, scores, requests, Ranking(items, line)
    candidates = [
        Candidate(q["request_id"], amount_of(q["decision"], q["requested_total"], q["recommended_total"]),
                  {code: s["score"] for code, s in scores.get(q["request_id"], {}).items()}, q["priority"])
        for q in requests.values()
    ]
    return criteria, scores, requests, rank(criteria, candidates, round_row["ceiling"])


async def ranking_of(repos: Any, round_row: Any) -> RankingView | None:
    """The round's ranking, or None when it has none (no criterion was ever set)."""
    if repos.ranking is None:  # the fast tests' fake repositories rank nothing
        return None
    row = await repos.ranking.ranking(round_row["round_id"])
    if row is None:
        return None
    criteria, scores, requests, ranking = await _compute(repos, round_row, row)
    if not criteria and row["status"] != APPROVED:
        return None  # every criterion removed again: no ranking
    return RankingView(round_row, row, criteria, ranking, requests, scores)


async def get_ranking(query: GetRanking, uow: UnitOfWork) -> RankingView:
    repos = repositories(uow)
    round_row = await repos.screening.round(query.round_id)
    view = await ranking_of(repos, round_row)
    if view is None:
        view = RankingView(round_row, None, [], rank([], [], round_row["ceiling"]))
    return replace(view, offset=position(query.cursor) or 0, limit=query.limit)


def summary_json(view: RankingView | None) -> dict[str, Any] | None:
    """The ranking as the status API shows it: where it stands and its cut line."""
    if view is None:
        return None
    return {
        "status": view.status,
        "version": view.row["version"],
        "criteria_count": len(view.criteria),
        "complete": view.ranking.complete,
        "approved_at": view.row["approved_at"].isoformat() if view.row["approved_at"] else None,
        "cut_line": cut_line_json(view.ranking),
    }


def cut_line_json(ranking: Ranking) -> dict[str, Any]:
    line = ranking.cut_line
    return {
        "ceiling": money_str(line.ceiling),
        "above_count": line.above_count,
        "above_total": money_str(line.above_total),
        "remaining": money_str(line.remaining),
        "below_count": line.count - line.above_count,
        "total": money_str(line.total),
        # the rank of the last request above the line (None when even the first does not fit)
        "last_rank_above": line.above_count or None,
    }


def rank_json(item: Ranked | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "rank": item.rank,
        "weighted_score": format(item.weighted_score, "f"),
        "amount": money_str(item.amount),
        "cumulative": money_str(item.cumulative),
        "above_cut_line": item.above_cut_line,
        "complete": item.complete,
    }


# --- changing -----------------------------------------------------------------------------------


async def _editable(repos: Any, round_id: str) -> Any:
    """The round, locked, if its ranking may change; 409 otherwise."""
    round_row = await repos.screening.round(round_id, lock=True)
    row = await repos.ranking.ranking(round_id, lock=True)
    if row is not None and row["status"] == APPROVED:
        raise conflict("ranking-frozen", "The committee approved this ranking with the round's package: it no longer changes.")
    if round_row["status"] != RoundStatus.OPEN.value:
        raise conflict(
            "round-not-open",
            f"The round is {round_row['status']}: the ranking changes only while the round is open.",
        )
    return round_row


async def put_criteria(command: PutCriteria, uow: UnitOfWork) -> RankingView:
    seen: set[str] = set()
    for i, c in enumerate(command.criteria):
        if c.code in seen:
            raise invalid(f"criteria[{i}].code", f"{c.code} is listed twice", slug="duplicate-criterion")
        seen.add(c.code)
        if problem := check_weight(c.weight):
            raise invalid(f"criteria[{i}].weight", problem)
    repos = repositories(uow)
    await _editable(repos, command.round_id)
    await repos.ranking.replace_criteria(command.round_id, list(command.criteria))
    await repos.ranking.touch(command.round_id, command.actor, utcnow())
    return await get_ranking(GetRanking(command.round_id), uow)


async def put_scores(command: PutScores, uow: UnitOfWork) -> RankingView:
    repos = repositories(uow)
    await _editable(repos, command.round_id)
    codes = {c.code for c in await repos.ranking.criteria(command.round_id)}
    if not codes:
        raise conflict("no-ranking-criteria", "The secretariat has not set this round's ranking criteria yet.")
    in_round = await repos.ranking.request_ids_in(command.round_id, {s.request_id for s in command.scores})
    seen: set[tuple[str, str]] = set()
    for i, s in enumerate(command.scores):
        if s.request_id not in in_round:
            raise invalid(f"scores[{i}].request_id", f"no request {s.request_id} in this round", slug="request-not-in-round")
        if s.criterion not in codes:
            raise invalid(f"scores[{i}].criterion", f"{s.criterion} is not one of this round's criteria ({', '.join(sorted(codes))})",
                          slug="unknown-criterion")
        if problem := check_score(s.score):
            raise invalid(f"scores[{i}].score", problem, slug="score-out-of-range")
        if (s.request_id, s.criterion) in seen:
            raise invalid(f"scores[{i}]", "the same request and criterion are scored twice", slug="duplicate-score")
        seen.add((s.request_id, s.criterion))
    now = utcnow()
    await repos.ranking.put_scores(
        command.round_id,
        [{"request_id": s.request_id, "criterion": s.criterion, "score": s.score, "reason": s.reason} for s in command.scores],
        command.actor, now,
    )
    await repos.ranking.touch(command.round_id, command.actor, now)
    return await get_ranking(GetRanking(command.round_id), uow)


# --- with the package ---------------------------------------------------------------------------


async def check_for_package(repos: Any, round_row: Any) -> dict[str, Any] | None:
    """A round with a ranking goes to the committee only with every request scored on every criterion.
    Returns what the package's event says of it (None: the round has no ranking)."""
    view = await ranking_of(repos, round_row)
    if view is None:
        return None
    incomplete = [i for i in view.ranking.items if not i.complete]
    if incomplete:
        raise ProblemError(
            409, "ranking-incomplete", "Conflict",
            f"{len(incomplete)} request(s) still lack a score on some of the {len(view.criteria)} ranking criteria.",
            incomplete=len(incomplete), request_ids=[i.request_id for i in incomplete[:100]],
        )
    line = view.ranking.cut_line
    return {"version": view.row["version"], "above_count": line.above_count, "above_total": money_str(line.above_total)}


async def approve_with_package(uow: UnitOfWork, round_row: Any, approved_by: str) -> None:
    """The committee approved the package: its ranking (if the round has one) is approved and frozen."""
    repos = repositories(uow)
    if repos.ranking is None:
        return
    view = await ranking_of(repos, round_row)
    if view is None or view.status == APPROVED:
        return
    now = utcnow()
    line = view.ranking.cut_line
    await repos.ranking.freeze(round_row["round_id"], view.ranking.items, {
        "status": APPROVED, "approved_by": approved_by, "approved_at": now, "ceiling": line.ceiling,
        "above_count": line.above_count, "above_total": line.above_total,
    })
    await uow.publish(
        RANKING_APPROVED,
        round_row["round_id"],
        {
            "round_id": round_row["round_id"],
            "plan_id": round_row["plan_id"],
            "fiscal_year": round_row["fiscal_year"],
            "version": view.row["version"],
            "criteria": [{"code": c.code, "weight": format(c.weight, "f"), "target": c.target} for c in view.criteria],
            "ceiling": money_str(line.ceiling),
            "above_count": line.above_count,
            "above_total": money_str(line.above_total),
            "request_count": line.count,
            "ranks": [{"request_id": i.request_id, "project_id": view.requests[i.request_id]["project_id"], "rank": i.rank,
                       "weighted_score": format(i.weighted_score, "f"), "above_cut_line": i.above_cut_line}
                      for i in view.ranking.items[:1000]],
            "approved_by": approved_by,
        },
    )
