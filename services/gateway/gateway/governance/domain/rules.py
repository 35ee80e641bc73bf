"""How a body decides: quorum, majority and the chair's casting vote. Pure: no database, no web.

Definitions (documented here because the property tests hold the code to them):

- **Quorum**: either a count of members (capped at the body's size) or a fraction of the
  members, "not less than" it: the smallest whole number ``k`` with ``k / n >= fraction``,
  never below 1. Arithmetic is exact (``Fraction``), never floating point.
- **Majority**: more than half of the votes cast (``basis="cast"``) or of all members
  (``basis="members"``).
- **Casting vote**: when voting is closed (everyone voted, or the chair/secretary closes it)
  without a majority and the leading choices are tied, the chair's vote breaks the tie if the
  chair voted for one of the tied choices.
- **Early decision**: while voting is open, a choice wins as soon as no later votes can change
  the result: it already holds more than half of all members and the quorum is met.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Basis = Literal["cast", "members"]


@dataclass(frozen=True)
class DecisionRule:
    quorum_fraction: Fraction | None = Fraction(1, 2)
    quorum_count: int | None = None
    basis: Basis = "cast"
    casting_vote: bool = True

    def __post_init__(self) -> None:
        if (self.quorum_fraction is None) == (self.quorum_count is None):
            raise ValueError("a rule has exactly one of quorum_fraction and quorum_count")
        if self.quorum_fraction is not None and not (0 < self.quorum_fraction <= 1):
            raise ValueError("quorum_fraction must be in (0, 1]")
        if self.quorum_count is not None and self.quorum_count < 1:
            raise ValueError("quorum_count must be at least 1")

    @classmethod
    def from_json(cls, data: Mapping) -> DecisionRule:
        quorum = data.get("quorum", {"fraction": "1/2"})
        fraction = Fraction(quorum["fraction"]) if "fraction" in quorum else None
        count = int(quorum["count"]) if "count" in quorum else None
        return cls(fraction, count, data.get("majority", "cast"), bool(data.get("casting_vote", True)))

    def to_json(self) -> dict:
        quorum = {"count": self.quorum_count} if self.quorum_count is not None else {"fraction": str(self.quorum_fraction)}
        return {"quorum": quorum, "majority": self.basis, "casting_vote": self.casting_vote}


def required_quorum(rule: DecisionRule, members: int) -> int:
    """How many votes must be cast before the body can decide (at least 1)."""
    if members < 1:
        raise ValueError("a body without members cannot decide")
    if rule.quorum_count is not None:
        return min(rule.quorum_count, members)
    fraction = rule.quorum_fraction
    assert fraction is not None
    # ceil(n * p / q) in integers: exact for every size.
    needed = -(-members * fraction.numerator // fraction.denominator)
    return max(1, needed)


@dataclass(frozen=True)
class Tally:
    decided: bool
    decision: str | None
    why: str  # majority / casting-vote / quorum-not-met / no-majority / open
    cast: int
    quorum: int
    counts: dict[str, int]

    def to_json(self) -> dict:
        return {
            "decided": self.decided,
            "decision": self.decision,
            "why": self.why,
            "cast": self.cast,
            "quorum": self.quorum,
            "counts": dict(sorted(self.counts.items())),
        }


def tally(
    rule: DecisionRule,
    members: int,
    votes: Mapping[str, str],
    chair: str | None = None,
    closing: bool = False,
) -> Tally:
    """The body's result for ``votes`` (voter -> choice) among ``members`` eligible members.

    ``closing`` means no more votes will come (the chair or secretary closes the vote); voting is
    also closed once every member has voted.
    """
    quorum = required_quorum(rule, members)
    counts = Counter(votes.values())
    cast = len(votes)
    if cast > members:
        raise ValueError("more votes than members")
    closed = closing or cast == members

    def result(decided: bool, decision: str | None, why: str) -> Tally:
        return Tally(decided, decision, why, cast, quorum, dict(counts))

    if cast < quorum:
        return result(False, None, "quorum-not-met" if closed else "open")
    # A choice holding more than half of all members wins whatever the others do later.
    for choice, count in counts.items():
        if 2 * count > members:
            return result(True, choice, "majority")
    if not closed:
        return result(False, None, "open")
    base = cast if rule.basis == "cast" else members
    for choice, count in counts.items():
        if 2 * count > base:
            return result(True, choice, "majority")
    top = max(counts.values())
    leaders = {choice for choice, count in counts.items() if count == top}
    if rule.casting_vote and len(leaders) > 1 and chair is not None and votes.get(chair) in leaders:
        return result(True, votes[chair], "casting-vote")
    return result(False, None, "no-majority")
