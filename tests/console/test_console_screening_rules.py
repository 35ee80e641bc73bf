"""The screening pages' rules without a browser: the funnel's bars, what a typed amount becomes, the
decision, request and round bodies sent to the API (a deadline as a Bangkok day), the one reading of
the amount fields, the names in history lines, and the proxied download passing the person's token."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from fastapi import FastAPI

from console.adapters.gateway_client import ApiProblem, GatewayClient
from console.api.amount_fields import AmountsForm
from console.application.agency_requests import request_body
from console.application.screening_decide import RecordDecision, decision_body
from console.application.screening_names import decides, people_names
from console.application.screening_open_round import OpenRound, deadline_at, round_body
from console.domain.funnel import EXPENSE_CATEGORIES, amounts_from_form, funnel, parse_amount


def test_the_funnel_is_drawn_on_the_scale_of_the_ceiling_or_the_largest_figure():
    bars = funnel([("requested", Decimal("25000000.50")), ("recommended", Decimal("14500000.50")),
                   ("approved", Decimal(0))], Decimal("100000000"))
    assert [(b.key, b.percent, b.share_of_ceiling) for b in bars] == [
        ("requested", Decimal("25.0"), Decimal("25.0")), ("recommended", Decimal("14.5"), Decimal("14.5")),
        ("approved", Decimal("0.0"), Decimal("0.0"))]
    over = funnel([("requested", Decimal(200)), ("recommended", Decimal(50))], Decimal(100))
    assert over[0].percent == Decimal("100.0") and over[0].share_of_ceiling == Decimal("200.0")
    assert funnel([("requested", Decimal(0))], None)[0].percent == 0


def test_typed_amounts_lose_their_separators_and_blanks_are_left_out():
    assert parse_amount(" 9,500,000.00 ") == "9500000.00" and parse_amount("") is None
    assert amounts_from_form({"operating": "2,000,000", "investment": "", "other": " "}) == {"operating": "2000000"}
    assert parse_amount("๑๐๐") == "๑๐๐"  # passed on as typed: the API refuses it by name


def _decision(**changes: str) -> RecordDecision:
    fields = dict(request_id="r", decision="recommend-full", reason=" ตามแผน ", meeting_title=" ครั้งที่ 1/2565 ",
                  held_on="2026-12-01", resolution="", rank="", amounts={}, idempotency_key="k")
    fields.update(changes)
    return RecordDecision(**fields)  # type: ignore[arg-type]


def test_a_decision_names_its_meeting_and_only_a_reduced_one_carries_amounts():
    assert decision_body(_decision()) == {"decision": "recommend-full", "reason": "ตามแผน",
                                          "meeting": {"title": "ครั้งที่ 1/2565", "held_on": "2026-12-01"}}
    reduced = decision_body(_decision(decision="recommend-reduced", rank="2", resolution="วาระที่ 3.1",
                                      amounts={"investment": "9500000"}))
    assert reduced["recommended_amounts"] == {"investment": "9500000"} and reduced["rank"] == 2
    assert reduced["meeting"]["resolution"] == "วาระที่ 3.1"
    assert "recommended_amounts" not in decision_body(_decision(decision="reject", amounts={"investment": "1"}))
    with pytest.raises(ApiProblem) as missing:
        decision_body(_decision(decision="recommend-reduced"))
    assert missing.value.status == 422
    with pytest.raises(ApiProblem):
        decision_body(_decision(rank="๒"))


def test_a_request_needs_an_amount_and_a_whole_priority():
    assert request_body("p", {"operating": "1"}, " เหตุผล ", "1") == {
        "project_id": "p", "amounts": {"operating": "1"}, "justification": "เหตุผล", "priority": 1}
    with pytest.raises(ApiProblem):
        request_body("p", {}, "x")
    with pytest.raises(ApiProblem):
        request_body("p", {"operating": "1"}, "x", "first")


async def test_a_download_is_fetched_with_the_persons_token_and_keeps_its_file_name():
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"\xef\xbb\xbfa,b\r\n", headers={
            "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="requests.csv"'})

    client = GatewayClient("http://gw", "tok", 5, transport=httpx.MockTransport(answer))
    found = await client.download("/api/v1/screening/rounds/r/exports/requests", {"format": "csv"})
    assert found.content.startswith(b"\xef\xbb\xbf") and found.media_type.startswith("text/csv")
    assert found.disposition == 'attachment; filename="requests.csv"'
    assert seen[0].headers["authorization"] == "Bearer tok" and seen[0].url.params["format"] == "csv"


async def test_a_revision_sends_if_match():
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"request_id": "r"})

    client = GatewayClient("http://gw", "tok", 5, transport=httpx.MockTransport(answer))
    await client.post("/api/v1/screening/requests/r/revision", {}, idempotency_key="k", if_match='"request-r-2"')
    assert seen[0].headers["if-match"] == '"request-r-2"' and seen[0].headers["idempotency-key"] == "k"


def test_a_deadline_typed_as_a_bangkok_day_means_the_end_of_that_day_there():
    assert deadline_at(" 2026-12-09 ") == "2026-12-09T23:59:59+07:00"
    assert deadline_at("9/12/2569") == "9/12/2569"  # not an ISO day: passed on for the API to refuse by name


def test_a_round_body_sends_the_year_as_a_number_and_the_ceiling_without_separators():
    command = OpenRound(plan_id=" p ", fiscal_year=" 2565 ", title=" รอบ 2565 ", ceiling="100,000,000",
                        submission_day="2026-12-09", decision_day="2026-12-16", idempotency_key="k")
    assert round_body(command) == {
        "plan_id": "p", "fiscal_year": 2565, "title": "รอบ 2565", "ceiling": "100000000",
        "submission_deadline": "2026-12-09T23:59:59+07:00", "decision_deadline": "2026-12-16T23:59:59+07:00"}
    odd = round_body(OpenRound("p", "๒๕๖๕", "", "", "", "", "k"))
    assert odd["fiscal_year"] == "๒๕๖๕" and "title" not in odd and odd["ceiling"] == ""


async def test_the_five_amount_fields_are_read_once_for_every_form_that_has_them():
    app = FastAPI()  # the dependency's annotation is resolved from this module's globals

    @app.post("/f")
    async def f(amounts: AmountsForm) -> dict:
        return {"typed": amounts.typed, "amounts": amounts.amounts}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        answer = (await client.post("/f", data={"operating": "2,000,000", "investment": " "})).json()
    assert tuple(answer["typed"]) == EXPENSE_CATEGORIES
    assert answer["typed"]["operating"] == "2,000,000" and answer["amounts"] == {"operating": "2000000"}


def test_history_lines_name_the_signed_in_person_and_members_the_api_names():
    members = [{"subject": "demo-obs-chair", "name": "วิไล ตรวจงบ"}, {"subject": "demo-obs-member-1"}]
    assert people_names(("demo-mof-staff", "มานี การคลัง"), members) == {
        "demo-obs-chair": "วิไล ตรวจงบ", "demo-mof-staff": "มานี การคลัง"}
    assert decides([{"subject": "s", "active": True, "role": "secretary"}], "s")
    assert not decides([{"subject": "s", "active": False, "role": "chair"}], "s")
