"""The public pages' rules without a browser: which fiscal year the scorecard opens on, its bars,
which screening rounds have results a caller may read, the approved totals summed per strategy and
agency (exact), the open datasets' API calls, a round's results read across the ledger's pages, and
a Thai text for every new message."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from console.adapters.gateway_client import ApiProblem, GatewayClient
from console.api.i18n import translations
from console.application import published_results_page
from console.domain.open_data import DATASETS, NoSuchDownload, api_call, dataset
from console.domain.published_results import approved_rounds, approved_sum, in_approval_order, totals_by
from console.domain.scorecard_view import (
    STATUS_NAMES,
    STATUSES,
    chosen_fiscal_year,
    completeness_bars,
    default_fiscal_year,
    fiscal_year_of,
    indicator_rows,
    status_bars,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "services" / "console" / "console" / "templates"
PLAN = {"id": "p-1", "start_fy": 2563, "end_fy": 2565, "approved_version_id": "v-1"}


@pytest.mark.parametrize(("day", "year"), [(date(2021, 9, 30), 2564), (date(2021, 10, 1), 2565), (date(2022, 1, 1), 2565)])
def test_the_fiscal_year_of_a_day_starts_on_the_first_of_october(day, year):
    assert fiscal_year_of(day) == year


@pytest.mark.parametrize(("today", "year"), [
    (date(2019, 5, 1), 2563),   # before the plan: its first year
    (date(2021, 3, 1), 2564),   # during the plan: today's
    (date(2026, 12, 3), 2565),  # after the plan: its last
])
def test_the_scorecard_opens_on_a_year_the_plan_runs_in(today, year):
    assert default_fiscal_year(PLAN, today) == year


def test_a_requested_year_outside_the_plan_falls_back_to_the_default():
    today = date(2026, 12, 3)
    assert chosen_fiscal_year(2563, PLAN, today) == 2563
    assert chosen_fiscal_year(2566, PLAN, today) == 2565
    assert chosen_fiscal_year(None, {"id": "p"}, today) is None  # a plan without years


def test_status_bars_show_every_status_on_the_scale_of_all_projects():
    labels = {"on_track": "ตามแผน"}
    bars = status_bars({"on_track": 1, "not_reporting": 3}, labels)
    assert [b.key for b in bars] == list(STATUSES)
    by_key = {b.key: b for b in bars}
    assert (by_key["on_track"].label, by_key["on_track"].count, by_key["on_track"].share) == ("ตามแผน", 1, Decimal("25.0"))
    assert (by_key["not_reporting"].percent, by_key["at_risk"].percent) == (Decimal("75.0"), Decimal(0))
    assert all(b.share is None for b in status_bars({}, {}))  # no projects: no share to speak of


def test_completeness_bars_measure_each_strategy_against_its_own_declared_projects():
    s1, s4, odd = completeness_bars([
        ("s1", "S1", {"declared_projects": 17, "registered_projects": 4}),
        ("s4", "S4", {"declared_projects": 5, "registered_projects": 7}),
        ("x", "X", {"declared_projects": None, "registered_projects": 2}),
    ])
    assert (s1.count, s1.of, s1.share, s1.percent) == (4, 17, Decimal("23.5"), Decimal("23.5"))
    assert (s4.share, s4.percent) == (Decimal("140.0"), Decimal(100))  # more than declared: a full bar
    assert (odd.of, odd.share, odd.percent) == (None, None, Decimal(0))


def test_indicator_rows_name_the_strategy_or_target_they_measure():
    card = {"strategies": [{"strategy_id": "s-1", "code": "S1"}], "targets": [{"target_id": "t-2", "code": "T2"}],
            "indicators": [{"code": "K1", "link": {"type": "plan_target", "id": "t-2"}},
                           {"code": "K2", "link": {"type": "strategy", "id": "s-1"}},
                           {"code": "K3", "link": {"type": "strategy", "id": "gone"}}]}
    assert [(r["code"], r["linked_code"]) for r in indicator_rows(card)] == [("K1", "T2"), ("K2", "S1"), ("K3", "")]


ROUNDS = [
    {"round_id": "a", "fiscal_year": 2563, "status": "closed", "published": True},
    {"round_id": "b", "fiscal_year": 2564, "status": "approved", "published": False},
    {"round_id": "c", "fiscal_year": 2565, "status": "package-submitted", "published": False},
    {"round_id": "d", "fiscal_year": 2562, "status": "closed", "published": False},
]


def test_only_approved_rounds_are_listed_and_unpublished_ones_only_to_oversight():
    assert [r["round_id"] for r in approved_rounds(ROUNDS, oversees=False)] == ["a"]
    assert [r["round_id"] for r in approved_rounds(ROUNDS, oversees=True)] == ["b", "a", "d"]  # newest year first


ITEMS = [
    {"request_id": "r1", "strategy_id": "S1", "agency": "MOF", "rank": 2, "requested_total": "12000000.00",
     "approved_total": "9500000.00"},
    {"request_id": "r2", "strategy_id": "S1", "agency": "OPDC", "rank": 1, "requested_total": "8000000.01",
     "approved_total": "8000000.01"},
    {"request_id": "r3", "strategy_id": "S2", "agency": "MOF", "rank": None, "requested_total": "3000000.00",
     "approved_total": "0.00"},
]


def test_approved_totals_per_strategy_and_agency_are_exact_and_largest_first():
    by_strategy = totals_by(ITEMS, "strategy_id")
    assert [(t.key, t.request_count, t.requested, t.approved) for t in by_strategy] == [
        ("S1", 2, Decimal("20000000.01"), Decimal("17500000.01")), ("S2", 1, Decimal("3000000.00"), Decimal("0.00"))]
    assert [(t.key, t.approved) for t in totals_by(ITEMS, "agency")] == [
        ("MOF", Decimal("9500000.00")), ("OPDC", Decimal("8000000.01"))]
    assert approved_sum(ITEMS) == Decimal("17500000.01")
    assert all(isinstance(t.approved, Decimal) for t in by_strategy)


def test_requests_read_approved_first_by_rank_then_those_approved_nothing():
    assert [i["request_id"] for i in in_approval_order(ITEMS)] == ["r2", "r1", "r3"]


def test_datasets_name_the_plan_in_the_path_or_as_plan_id_and_take_a_year_only_where_they_have_one():
    assert api_call(dataset("plan-package"), PLAN, None, "th") == ("/api/v1/plans/p-1/export/open-data", {})
    assert api_call(dataset("scorecard-xlsx"), PLAN, 2564, "en") == (
        "/api/v1/monitoring/plans/p-1/scorecard", {"format": "xlsx", "fiscal_year": 2564, "lang": "en"})
    assert api_call(dataset("mid-year-csv"), PLAN, 2565, "th") == (
        "/api/v1/monitoring/reports/mid-year", {"format": "csv", "plan_id": "p-1", "fiscal_year": 2565})
    assert api_call(dataset("budget-by-agency-csv"), PLAN, 2565, "th")[1] == {
        "group_by": "agency", "format": "csv", "plan_id": "p-1"}  # every year together: the year is not sent
    with pytest.raises(NoSuchDownload):
        api_call(dataset("year-end-csv"), PLAN, 2566, "th")
    with pytest.raises(NoSuchDownload):
        api_call(dataset("year-end-csv"), PLAN, None, "th")
    with pytest.raises(NoSuchDownload):
        dataset("ledger-everything")
    assert len({d.key for d in DATASETS}) == len(DATASETS)
    assert all(d.path.startswith("/api/v1/") for d in DATASETS)


async def test_a_rounds_results_are_read_across_the_ledgers_pages_and_another_plans_round_is_refused():
    asked: list[httpx.Request] = []
    rounds = {"r-1": "p-1", "r-2": "p-other"}

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        path = request.url.path
        if path == "/api/v1/plans/p-1":
            return httpx.Response(200, json=PLAN)
        if path.startswith("/api/v1/screening/rounds/") and path.endswith("/results"):
            round_id = path.split("/")[5]
            second = request.url.params.get("cursor") == "c-2"
            items = ITEMS[2:] if second else ITEMS[:2]
            return httpx.Response(200, json={
                "round": {"round_id": round_id, "plan_id": rounds[round_id], "status": "closed", "published": True},
                "summary": {"requested_total": "23000000.01"}, "items": items, "next_cursor": None if second else "c-2"})
        if path.startswith("/api/v1/plans/p-1/versions/") or path == "/api/v1/agencies":
            return httpx.Response(200, json={"items": [], "next_cursor": None})
        return httpx.Response(404, json={"title": "Not found", "status": 404})

    gateway = GatewayClient("http://gw", None, 5, transport=httpx.MockTransport(answer))
    view = await published_results_page.round_results("p-1", "r-1", gateway)
    assert [i["request_id"] for i in view.requests] == ["r2", "r1", "r3"]
    assert view.approved_total == Decimal("17500000.01")
    assert (view.by_strategy[0].key, view.by_strategy[0].approved) == ("S1", Decimal("17500000.01"))
    assert asked and all("authorization" not in r.headers for r in asked)  # the public asks anonymously
    assert [r.url.params.get("cursor") for r in asked if r.url.path.endswith("/results")] == [None, "c-2"]
    with pytest.raises(ApiProblem) as refused:
        await published_results_page.round_results("p-1", "r-2", gateway)
    assert refused.value.status == 404


def test_every_new_text_has_a_thai_translation():
    thai = translations("th")
    used: set[str] = set()
    for name in ("scorecard.html", "results.html", "results_round.html", "open_data.html", "_count_bars.html"):
        found = re.findall(r"""_\((?:"([^"]+)"|'([^']+)')\)""", (TEMPLATES / name).read_text())
        used |= {a or b for a, b in found}
    used |= {d.title for d in DATASETS} | {d.description for d in DATASETS}
    used |= set(STATUS_NAMES.values()) | {"Scorecard", "Open data", "Follow the plan"}  # base.html, plan.html
    untranslated = sorted(m for m in used if thai.gettext(m) == m)
    assert len(used) > 60 and untranslated == []
