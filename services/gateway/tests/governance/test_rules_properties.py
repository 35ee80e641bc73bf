"""Quorum and majority are exact for every body size from 1 to 15 (hypothesis against an oracle)."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.governance.domain.rules import DecisionRule, required_quorum, tally

CHOICES = ("propose", "return", "reject")


def oracle_quorum(rule: DecisionRule, n: int) -> int:
    """Smallest k in 1..n meeting the rule, by enumeration (no ceiling arithmetic)."""
    if rule.quorum_count is not None:
        return min(rule.quorum_count, n)
    return next(k for k in range(1, n + 1) if Fraction(k, n) >= rule.quorum_fraction)


def oracle_closed(rule: DecisionRule, n: int, votes: dict[str, str], chair: str | None) -> str | None:
    """The result once voting is closed, straight from the definitions in rules.py."""
    if len(votes) < oracle_quorum(rule, n):
        return None
    base = len(votes) if rule.basis == "cast" else n
    counts = {c: sum(1 for v in votes.values() if v == c) for c in set(votes.values())}
    winners = [c for c, k in counts.items() if Fraction(k, base) > Fraction(1, 2)]
    if winners:
        return winners[0]
    if rule.casting_vote and chair in votes:
        top = max(counts.values())
        leaders = [c for c, k in counts.items() if k == top]
        if len(leaders) > 1 and votes[chair] in leaders:
            return votes[chair]
    return None


fractions = st.tuples(st.integers(1, 12), st.integers(1, 12)).filter(lambda t: t[0] <= t[1]).map(lambda t: Fraction(*t))
rules = st.builds(
    lambda f, b, cv: DecisionRule(f, None, b, cv), fractions, st.sampled_from(["cast", "members"]), st.booleans()
)
count_rules = st.builds(
    lambda c, b, cv: DecisionRule(None, c, b, cv), st.integers(1, 20), st.sampled_from(["cast", "members"]), st.booleans()
)


@st.composite
def meetings(draw):
    n = draw(st.integers(1, 15))
    rule = draw(st.one_of(rules, count_rules))
    members = [f"m{i}" for i in range(n)]
    ballots = draw(st.lists(st.one_of(st.none(), st.sampled_from(CHOICES)), min_size=n, max_size=n))
    votes = {m: b for m, b in zip(members, ballots) if b is not None}
    chair = draw(st.one_of(st.none(), st.sampled_from(members)))
    return rule, n, members, votes, chair


@pytest.mark.parametrize("n", range(1, 16))
def test_half_quorum_is_exact_for_every_size(n):
    rule = DecisionRule(Fraction(1, 2))
    assert required_quorum(rule, n) == (n + 1) // 2
    assert required_quorum(DecisionRule(Fraction(2, 3)), n) == oracle_quorum(DecisionRule(Fraction(2, 3)), n)


@settings(max_examples=400, deadline=None)
@given(meetings())
def test_closed_vote_matches_the_definitions(meeting):
    rule, n, _, votes, chair = meeting
    assert required_quorum(rule, n) == oracle_quorum(rule, n)
    result = tally(rule, n, votes, chair, closing=True)
    expected = oracle_closed(rule, n, votes, chair)
    assert result.decided == (expected is not None)
    assert result.decision == expected
    if result.decided:
        assert result.cast >= result.quorum


@settings(max_examples=400, deadline=None)
@given(meetings(), st.data())
def test_an_early_decision_is_never_overturned_by_later_votes(meeting, data):
    rule, n, members, votes, chair = meeting
    early = tally(rule, n, votes, chair, closing=False)
    if not early.decided:
        return
    remaining = [m for m in members if m not in votes]
    later = data.draw(st.lists(st.one_of(st.none(), st.sampled_from(CHOICES)), min_size=len(remaining), max_size=len(remaining)))
    completed = {**votes, **{m: c for m, c in zip(remaining, later) if c is not None}}
    assert oracle_closed(rule, n, completed, chair) == early.decision


@pytest.mark.parametrize("n", range(1, 16))
def test_unanimity_decides_at_once_and_a_tie_goes_to_the_chair(n):
    rule = DecisionRule(Fraction(1, 2), basis="cast", casting_vote=True)
    members = [f"m{i}" for i in range(n)]
    everyone = {m: "propose" for m in members}
    assert tally(rule, n, everyone, members[0]).decision == "propose"
    if n % 2 == 0:
        split = {m: ("propose" if i < n // 2 else "return") for i, m in enumerate(members)}
        assert tally(rule, n, split, members[-1]).decision == "return"
        assert tally(rule, n, split, members[-1]).why == "casting-vote"
        assert not tally(DecisionRule(Fraction(1, 2), casting_vote=False), n, split, members[-1]).decided


def test_a_single_member_body_decides_with_one_vote():
    assert tally(DecisionRule(None, 1, casting_vote=False), 1, {"nesdc": "endorse"}).decision == "endorse"


def test_votes_below_quorum_never_decide_even_when_closed():
    rule = DecisionRule(Fraction(1, 2))
    result = tally(rule, 9, {"a": "propose", "b": "propose", "c": "propose", "d": "propose"}, closing=True)
    assert (result.decided, result.why, result.quorum) == (False, "quorum-not-met", 5)
