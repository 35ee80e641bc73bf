"""The console's rules without a browser: Thai dates and money, the quorum a member sees, the
chart's geometry, the catalogues, the gateway client's reading of problem+json, and redirects."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from console.adapters.gateway_client import ApiProblem, GatewayClient
from console.api.deps import local_path
from console.application.cast_vote import observations_from_lines
from console.domain.chart import bar_chart
from console.domain.formatting import days_left, format_baht, format_date, format_million_baht, is_overdue
from console.domain.quorum import needed_for_quorum, standing
from console.api.i18n import translations

TEMPLATES = Path(__file__).resolve().parents[2] / "services" / "console" / "console" / "templates"


def test_dates_are_buddhist_era_with_thai_month_names_in_bangkok_time():
    assert format_date(date(2021, 3, 30), "th") == "30 มีนาคม 2564"
    assert format_date(date(2021, 3, 30), "en") == "30 March 2021"
    # 20:00 UTC on 31 December is already 1 January in Bangkok (UTC+7).
    assert format_date("2026-12-31T20:00:00Z", "th") == "1 มกราคม 2570"
    assert format_date(None, "th") == ""


def test_money_is_exact_with_thousands_separators_and_million_baht():
    assert format_baht(Decimal("4879870000.00"), "th") == "4,879,870,000.00 บาท"
    assert format_baht("0.1", "en") == "THB 0.10"
    assert format_million_baht(Decimal("6504690000"), "th") == "6,504.69 ล้านบาท"
    assert format_million_baht(Decimal("160000000.00"), "en") == "160.00 million baht"
    # Decimal all the way: a float would print 0.30000000000000004 somewhere along the way.
    assert format_million_baht(Decimal("100000") + Decimal("200000"), "th") == "0.30 ล้านบาท"


def test_deadlines_overdue_and_days_left():
    now = datetime(2026, 12, 2, 8, 0, tzinfo=timezone.utc)
    assert is_overdue("2026-12-01T00:00:00Z", now) and not is_overdue("2027-01-01T00:00:00Z", now)
    assert not is_overdue(None, now)
    assert days_left("2027-01-01T07:43:10Z", now) == 30


@pytest.mark.parametrize(
    ("rule", "members", "needed"),
    [({"quorum": {"fraction": "1/2"}}, 5, 3), ({"quorum": {"fraction": "1/2"}}, 4, 2),
     ({"quorum": {"fraction": "2/3"}}, 7, 5), ({"quorum": {"count": 1}}, 1, 1), ({"quorum": {"count": 9}}, 3, 3)],
)
def test_the_quorum_is_the_smallest_count_not_less_than_the_fraction(rule, members, needed):
    assert needed_for_quorum(rule, members) == needed


def test_the_tally_counts_each_choice():
    votes = [{"choice": "propose"}, {"choice": "propose"}, {"choice": "return"}]
    seen = standing({"quorum": {"fraction": "1/2"}}, 5, votes, ["propose", "return", "reject"])
    assert (seen.cast, seen.needed, seen.quorum_reached) == (3, 3, True)
    assert seen.by_choice == (("propose", 2), ("return", 1), ("reject", 0))


def test_the_chart_scales_bars_to_the_largest_and_gives_shares():
    chart = bar_chart([("S1", Decimal("4879870000"), "a"), ("S4", Decimal("160000000"), "b")])
    first, last = chart.bars
    assert first.width == chart.width - chart.label_width - 190
    assert 0 < last.width < first.width // 20
    assert (first.share_text, last.share_text) == ("96.8%", "3.2%")


def test_every_text_of_every_template_has_a_thai_translation():
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""_\((?:"([^"]+)"|'([^']+)')\)""", template.read_text()))
    messages = {a or b for a, b in used}
    thai = translations("th")
    untranslated = sorted(m for m in messages if thai.gettext(m) == m)
    assert len(messages) > 50 and untranslated == []


def test_observations_pair_thai_and_english_lines():
    pairs = observations_from_lines("ข้อหนึ่ง\n\nข้อสอง\n", "one\ntwo")
    assert [(o.th, o.en) for o in pairs] == [("ข้อหนึ่ง", "one"), ("ข้อสอง", "two")]
    with pytest.raises(ApiProblem) as refused:
        observations_from_lines("ข้อหนึ่ง\nข้อสอง", "one")
    assert refused.value.status == 422 and "2 Thai and 1 English" in (refused.value.detail or "")


async def test_the_gateway_client_reports_problem_titles_and_details_and_sends_the_token():
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(409, json={"type": "urn:dgplan:problem:stage-moved", "title": "Stage moved on",
                                         "status": 409, "detail": "The vote is now at nesdc."},
                              headers={"content-type": "application/problem+json"})

    client = GatewayClient("http://gw", "tok", 5, transport=httpx.MockTransport(answer))
    with pytest.raises(ApiProblem) as refused:
        await client.post("/api/v1/governance/instances/x/votes", {"choice": "propose"}, idempotency_key="k-1")
    assert (refused.value.status, refused.value.title, refused.value.detail) == (
        409, "Stage moved on", "The vote is now at nesdc.")
    assert seen[0].headers["authorization"] == "Bearer tok" and seen[0].headers["idempotency-key"] == "k-1"
    with pytest.raises(ValueError):
        await client.get("/internal/anything")  # only the public API


async def test_an_unreachable_gateway_is_a_502_problem_not_a_crash():
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    client = GatewayClient("http://gw", None, 5, transport=httpx.MockTransport(fail))
    with pytest.raises(ApiProblem) as refused:
        await client.get("/api/v1/plans")
    assert refused.value.status == 502 and "connection refused" in (refused.value.detail or "")


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [("/inbox", "/inbox"), ("https://evil.example/", "/"), ("//evil.example", "/"), ("inbox", "/"), (None, "/"),
     ("/plans/x?q=1", "/plans/x?q=1")],
)
def test_only_paths_on_this_site_are_redirect_targets(candidate, expected):
    assert local_path(candidate) == expected
