"""The priority ranking of a round's requests and its cut line under the ceiling (issue 17).

The secretariat defines a round's criteria as data (a code, a Thai and English name, a weight, and
optionally the plan target the criterion measures against); each request gets a score per
criterion, on a scale of 0 to 100, with a reason. Pure functions, no I/O:

* ``weighted_score``: the weighted mean of a request's scores, ``Σ wᵢ·sᵢ / Σ wᵢ`` (so weights need
  not add up to anything), rounded half-up to two places. A criterion not scored yet counts as 0
  (and the request is marked incomplete: a package is not submitted with an incomplete ranking).
* ``rank``: highest weighted score first; ties broken by the agency's own priority (1 first, none
  last), then by request id, so the same data always give the same ranks 1..n.
* ``cut_line``: walking the ranked requests in order and adding up each one's amount, the requests
  above the line are the longest prefix whose sum does not exceed the ceiling. A request's amount
  is what it would take from the ceiling: its recommended amount once the subcommittee recommended
  it (in full or reduced), nothing once deferred, rejected or returned, and the requested total
  while undecided.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SCORE_MIN = Decimal(0)
SCORE_MAX = Decimal(100)
WEIGHT_MAX = Decimal(1000)
MAX_CRITERIA = 20
ZERO = Decimal("0.00")
TWO_PLACES = Decimal("0.01")

# Decisions that take money from the ceiling (their recommended amount); the others take none.
FUNDED_DECISIONS = frozenset({"recommend-full", "recommend-reduced"})


@dataclass(frozen=True)
class Criterion:
    code: str
    weight: Decimal
    name_th: str = ""
    name_en: str | None = None
    target: str | None = None  # the plan target (id or code) the criterion measures against, if any


@dataclass(frozen=True)
class Candidate:
    """One request as the ranking sees it."""

    request_id: str
    amount: Decimal  # what it takes from the ceiling (see ``amount_of``)
    scores: Mapping[str, Decimal]  # criterion code → score
    priority: int | None = None  # the agency's own priority, 1 = highest


@dataclass(frozen=True)
class Ranked:
    request_id: str
    rank: int
    weighted_score: Decimal
    amount: Decimal
    cumulative: Decimal  # the amounts of this request and every one ranked above it
    above_cut_line: bool
    complete: bool  # scored on every criterion


@dataclass(frozen=True)
class CutLine:
    ceiling: Decimal
    above_count: int  # requests above the line (the first ``above_count`` in rank order)
    above_total: Decimal  # their amounts: never more than the ceiling
    total: Decimal  # every ranked request's amount
    count: int

    @property
    def remaining(self) -> Decimal:
        return self.ceiling - self.above_total


@dataclass(frozen=True)
class Ranking:
    items: tuple[Ranked, ...]
    cut_line: CutLine

    @property
    def complete(self) -> bool:
        return all(r.complete for r in self.items)

    def by_request(self) -> dict[str, Ranked]:
        return {r.request_id: r for r in self.items}


def amount_of(decision: str | None, requested_total: Decimal, recommended_total: Decimal) -> Decimal:
    """What a request takes from the ceiling: see the module's docstring."""
    if decision is None:
        return requested_total
    return recommended_total if decision in FUNDED_DECISIONS else ZERO


def weighted_score(criteria: Sequence[Criterion], scores: Mapping[str, Decimal]) -> Decimal:
    total_weight = sum((c.weight for c in criteria), Decimal(0))
    if not criteria or total_weight <= 0:
        return ZERO
    weighted = sum((c.weight * scores.get(c.code, Decimal(0)) for c in criteria), Decimal(0))
    return (weighted / total_weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _order_key(score: Decimal, candidate: Candidate) -> tuple[Decimal, int, int, str]:
    no_priority = candidate.priority is None
    return (-score, int(no_priority), candidate.priority or 0, candidate.request_id)


def cut_line(amounts: Iterable[Decimal], ceiling: Decimal) -> tuple[int, Decimal]:
    """(how many of ``amounts``, in the order given, are above the line; their sum): the longest
    prefix whose sum does not exceed ``ceiling``."""
    count, total = 0, ZERO
    for amount in amounts:
        if total + amount > ceiling:
            break
        count, total = count + 1, total + amount
    return count, total


def rank(criteria: Sequence[Criterion], candidates: Iterable[Candidate], ceiling: Decimal) -> Ranking:
    codes = {c.code for c in criteria}
    scored = [(weighted_score(criteria, c.scores), c) for c in candidates]
    scored.sort(key=lambda pair: _order_key(*pair))
    above_count, above_total = cut_line((c.amount for _, c in scored), ceiling)
    items, running = [], ZERO
    for position, (score, candidate) in enumerate(scored, start=1):
        running += candidate.amount
        items.append(Ranked(candidate.request_id, position, score, candidate.amount, running, position <= above_count,
                            codes <= set(candidate.scores)))
    return Ranking(tuple(items), CutLine(ceiling, above_count, above_total, running, len(items)))


def check_weight(weight: Decimal) -> str | None:
    if not weight.is_finite() or weight <= 0:
        return "must be greater than zero"
    if weight > WEIGHT_MAX:
        return f"must be at most {WEIGHT_MAX}"
    return None


def check_score(score: Decimal) -> str | None:
    if not score.is_finite() or not SCORE_MIN <= score <= SCORE_MAX:
        return f"must be from {SCORE_MIN} to {SCORE_MAX}"
    return None
