"""The quorum and tally of a body's vote as the member sees them before voting.

The governance engine decides; this only shows where a vote stands, with the same "not less than"
reading of a fraction quorum (the smallest k with k / n >= fraction)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class Standing:
    members: int
    needed: int
    cast: int
    by_choice: tuple[tuple[str, int], ...]

    @property
    def quorum_reached(self) -> bool:
        return self.cast >= self.needed


def needed_for_quorum(rule: dict[str, Any], members: int) -> int:
    quorum = rule.get("quorum", {"fraction": "1/2"})
    if "count" in quorum and quorum["count"] is not None:
        return min(int(quorum["count"]), members)
    fraction = Fraction(quorum.get("fraction") or "1/2")
    return -(-members * fraction.numerator // fraction.denominator)


def standing(rule: dict[str, Any], active_members: int, votes: list[dict[str, Any]], choices: list[str]) -> Standing:
    counted = Counter(v["choice"] for v in votes)
    return Standing(
        members=active_members,
        needed=needed_for_quorum(rule, active_members),
        cast=len(votes),
        by_choice=tuple((c, counted.get(c, 0)) for c in choices),
    )
