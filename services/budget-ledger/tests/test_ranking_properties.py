"""Properties of the priority ranking and its cut line (issue 17): for any requests and any ceiling,
the requests above the line never add up to more than the ceiling, the line is as low as it can be
(the next request would not fit), and it follows rank order; ranks are 1..n, ordered by weighted
score, and the same data always give the same ranks."""

from __future__ import annotations

from decimal import Decimal

from budget_ledger.domain.ranking import Candidate, Criterion, amount_of, cut_line, rank, weighted_score
from hypothesis import given, settings
from hypothesis import strategies as st

money = st.integers(min_value=0, max_value=10**12).map(lambda satang: Decimal(satang) / 100)
ceilings = st.integers(min_value=0, max_value=10**13).map(lambda satang: Decimal(satang) / 100)
scores = st.integers(min_value=0, max_value=10000).map(lambda hundredths: Decimal(hundredths) / 100)
weights = st.integers(min_value=1, max_value=10**7).map(lambda w: Decimal(w) / 10000)
CODES = ("need", "readiness", "target", "value")


@st.composite
def rounds(draw):  # type: ignore[no-untyped-def]
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True))
    criteria = [Criterion(code, draw(weights)) for code in codes]
    rows = draw(st.lists(st.tuples(money, st.dictionaries(st.sampled_from(codes), scores),
                                   st.none() | st.integers(min_value=1, max_value=5)), max_size=30))
    candidates = [Candidate(f"r{i:03d}", amount, given, priority) for i, (amount, given, priority) in enumerate(rows)]
    return criteria, candidates, draw(ceilings)


@settings(max_examples=400, deadline=None)
@given(st.lists(money, max_size=60), ceilings)
def test_the_cut_line_never_exceeds_the_ceiling_and_is_the_longest_prefix(amounts, ceiling):
    count, total = cut_line(amounts, ceiling)
    assert 0 <= count <= len(amounts)
    assert total == sum(amounts[:count], Decimal("0.00"))
    assert total <= ceiling
    if count < len(amounts):  # maximal: the next request in rank order would not fit
        assert total + amounts[count] > ceiling


@settings(max_examples=200, deadline=None)
@given(st.lists(money, min_size=1, max_size=30), st.data())
def test_a_ceiling_exactly_as_large_as_a_run_of_requests_takes_them_all(amounts, data):
    k = data.draw(st.integers(min_value=0, max_value=len(amounts)))
    count, total = cut_line(amounts, sum(amounts[:k], Decimal("0.00")))
    assert count >= k and total == sum(amounts[:k], Decimal("0.00"))  # "fits" is ≤, not <


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_the_ranking_respects_rank_order_and_its_cut_line_fits_under_the_ceiling(case):
    criteria, candidates, ceiling = case
    ranking = rank(criteria, candidates, ceiling)
    items = ranking.items
    assert [r.rank for r in items] == list(range(1, len(candidates) + 1))
    assert sorted(r.request_id for r in items) == sorted(c.request_id for c in candidates)
    # ordered by weighted score, highest first; each score is the weighted mean, within 0–100
    assert all(a.weighted_score >= b.weighted_score for a, b in zip(items, items[1:]))
    by_id = {c.request_id: c for c in candidates}
    for r in items:
        assert r.weighted_score == weighted_score(criteria, by_id[r.request_id].scores)
        assert Decimal(0) <= r.weighted_score <= Decimal(100)
    # the line: a prefix in rank order, within the ceiling, and maximal
    line = ranking.cut_line
    above = [r for r in items if r.above_cut_line]
    assert above == list(items[: line.above_count])
    assert line.above_total == sum((r.amount for r in above), Decimal("0.00")) <= ceiling
    if line.above_count < len(items):
        assert line.above_total + items[line.above_count].amount > ceiling
    running = Decimal("0.00")
    for r in items:
        running += r.amount
        assert r.cumulative == running
        assert r.above_cut_line == (r.rank <= line.above_count)
    # deterministic: the same requests in any order rank the same
    again = rank(criteria, list(reversed(candidates)), ceiling)
    assert again == ranking


def test_ties_go_to_the_agencys_priority_then_the_request_id():
    criteria = [Criterion("need", Decimal(2)), Criterion("value", Decimal(1))]
    candidates = [
        Candidate("b", Decimal("10.00"), {"need": Decimal(80), "value": Decimal(50)}, priority=None),
        Candidate("a", Decimal("10.00"), {"need": Decimal(80), "value": Decimal(50)}, priority=None),
        Candidate("c", Decimal("10.00"), {"need": Decimal(80), "value": Decimal(50)}, priority=2),
        Candidate("d", Decimal("10.00"), {"need": Decimal(90), "value": Decimal(90)}, priority=9),
    ]
    ranking = rank(criteria, candidates, Decimal("25.00"))
    assert [(r.request_id, r.rank, str(r.weighted_score)) for r in ranking.items] == [
        ("d", 1, "90.00"), ("c", 2, "70.00"), ("a", 3, "70.00"), ("b", 4, "70.00")]
    assert (ranking.cut_line.above_count, ranking.cut_line.above_total) == (2, Decimal("20.00"))


def test_what_a_request_takes_from_the_ceiling():
    assert amount_of(None, Decimal("100.00"), Decimal("0.00")) == Decimal("100.00")
    assert amount_of("recommend-reduced", Decimal("100.00"), Decimal("60.00")) == Decimal("60.00")
    assert amount_of("recommend-full", Decimal("100.00"), Decimal("100.00")) == Decimal("100.00")
    for disposed in ("defer", "reject", "return"):
        assert amount_of(disposed, Decimal("100.00"), Decimal("0.00")) == Decimal("0.00")
