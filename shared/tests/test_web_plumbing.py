"""The web plumbing every service shares: conditional GETs answer 304, bodies too deep or in
another media type are refused before any parser, cursors round-trip and refuse tampering,
If-Match is required and checked, the strict model refuses what cannot be stored and normalizes
the rest, and money and fiscal years have one wire form."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest
from fastapi import FastAPI, Header, Response
from pydantic import BaseModel, ValidationError

from dgplan_contracts.fiscal import FiscalYear, fiscal_year_of, fiscal_year_range, quarter_of, quarter_range
from dgplan_contracts.money import Money, MoneyOrZero
from dgplan_contracts.text import Bilingual
from dgplan_shared.errors import ProblemError
from dgplan_shared.problems import install_problem_handlers
from dgplan_shared.testing.clients import asgi_client
from dgplan_shared.web.body_limits import MAX_JSON_DEPTH, BodyShapeMiddleware, json_depth_exceeds
from dgplan_shared.web.etags import ConditionalGetMiddleware, content_etag, require_if_match, version_etag
from dgplan_shared.web.models import Strict
from dgplan_shared.web.pagination import decode_cursor, encode_cursor, page_of


class Thing(Strict):
    name: Bilingual
    tags: list[str] = []


def _app() -> tuple[FastAPI, list[int]]:
    built: list[int] = []
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(ConditionalGetMiddleware)
    app.add_middleware(BodyShapeMiddleware)

    @app.get("/doc")
    async def doc(response: Response) -> dict:
        built.append(1)
        body = {"title": "แผนพัฒนารัฐบาลดิจิทัล"}
        response.headers["ETag"] = content_etag(body)
        return body

    @app.post("/things")
    async def create(thing: Thing) -> dict:
        return thing.model_dump()

    @app.patch("/things/1")
    async def change(if_match: str | None = Header(default=None)) -> dict:
        require_if_match(if_match, version_etag("thing", 1, 3), "thing")
        return {"ok": True}

    return app, built


async def test_a_conditional_get_with_the_current_etag_answers_304_without_a_body():
    app, _ = _app()
    async with asgi_client(app) as client:
        first = await client.get("/doc")
        tag = first.headers["etag"]
        again = await client.get("/doc", headers={"If-None-Match": tag})
        weak = await client.get("/doc", headers={"If-None-Match": f'"other", W/{tag}'})
        stale = await client.get("/doc", headers={"If-None-Match": '"stale"'})
    assert first.status_code == 200 and tag.startswith('"')
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag)
    assert weak.status_code == 304
    assert stale.status_code == 200 and stale.json() == first.json()


@pytest.mark.parametrize("depth", [100, 500, 1000, 10_000])
async def test_json_nested_past_the_limit_is_a_400_naming_the_limit(depth):
    app, _ = _app()
    async with asgi_client(app) as client:
        response = await client.post("/things", content=b"[" * depth + b"]" * depth,
                                     headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:dgplan:problem:json-too-deep"
    assert str(MAX_JSON_DEPTH) in response.json()["detail"]


def test_brackets_inside_strings_do_not_count_as_depth():
    assert not json_depth_exceeds(b'{"a": "' + b"[" * 1000 + b'"}')
    assert not json_depth_exceeds(b"[" + b"[]," * 5000 + b"[]]")
    assert json_depth_exceeds(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))


async def test_a_body_the_api_does_not_read_is_a_415():
    app, _ = _app()
    async with asgi_client(app) as client:
        response = await client.post("/things", content=b"<thing/>", headers={"content-type": "application/xml"})
    assert response.status_code == 415
    assert response.json()["type"] == "urn:dgplan:problem:unsupported-media-type"


async def test_the_strict_model_normalizes_thai_and_refuses_what_cannot_be_stored():
    app, _ = _app()
    async with asgi_client(app) as client:
        typed = await client.post("/things", json={"name": {"th": "ท\u0e4d\u0e32\u200bงาน"}, "tags": ["ก\u0e48\u0e48า"]})
        nul = await client.post("/things", json={"name": {"th": "a\u0000b"}})
        extra = await client.post("/things", json={"name": {"th": "ก"}, "colour": "red"})
        surrogate = await client.post("/things", content=b'{"name": {"th": "\\ud800"}}',
                                      headers={"content-type": "application/json"})
    assert typed.status_code == 200
    assert typed.json()["name"]["th"] == "ทำงาน" and typed.json()["tags"] == ["ก่า"]
    assert nul.status_code == 422 and "NUL" in nul.json()["detail"]
    assert extra.status_code == 422 and "colour" in extra.json()["detail"]
    assert surrogate.status_code == 422 and "surrogate" in surrogate.json()["detail"]


async def test_if_match_is_required_and_must_be_current():
    app, _ = _app()
    async with asgi_client(app) as client:
        missing = await client.patch("/things/1")
        stale = await client.patch("/things/1", headers={"If-Match": '"thing-1-2"'})
        current = await client.patch("/things/1", headers={"If-Match": '"thing-1-3"'})
    assert missing.status_code == 428
    assert stale.status_code == 412 and stale.json()["current_etag"] == '"thing-1-3"'
    assert current.status_code == 200


def test_cursors_round_trip_and_refuse_tampering():
    cursor = encode_cursor([2565, "ก-1"])
    assert decode_cursor(cursor, int, str) == [2565, "ก-1"]
    assert decode_cursor(None, int) is None
    for bad, types in (("not-base64!", (int, str)), (encode_cursor(["x"]), (int,)), (encode_cursor([1, "a", 3]), (int, str))):
        with pytest.raises(ProblemError) as refused:
            decode_cursor(bad, *types)
        assert refused.value.status == 422 and refused.value.extensions["errors"][0]["field"] == "cursor"
    page, nxt = page_of([1, 2, 3], 2, lambda r: [r])
    assert page == [1, 2] and decode_cursor(nxt, int) == [2]
    assert page_of([1, 2], 2, lambda r: [r]) == ([1, 2], None)


class Amounts(BaseModel):
    amount: Money
    floor: MoneyOrZero = Decimal("0")
    fiscal_year: FiscalYear = 2565


@pytest.mark.parametrize("digits", ["๑๒.๐๐", "१००.००", "１２.００", "١٢.٠٠"])
def test_money_accepts_ascii_digits_only(digits):
    with pytest.raises(ValidationError) as refused:
        Amounts(amount=digits)
    assert "ASCII" in str(refused.value)


def test_money_is_exact_and_written_with_two_places():
    assert Amounts(amount="4879870000").model_dump(mode="json")["amount"] == "4879870000.00"
    for bad in (12.5, "12.345", "-1.00", "0.00", "1e3"):
        with pytest.raises(ValidationError):
            Amounts(amount=bad)
    assert Amounts(amount="1", floor="0.00").floor == Decimal("0.00")


def test_one_fiscal_year_type_and_its_calendar():
    with pytest.raises(ValidationError):
        Amounts(amount="1", fiscal_year=2026)
    assert fiscal_year_range(2565)[0].isoformat() == "2021-10-01"
    assert fiscal_year_range(2565)[1].isoformat() == "2022-09-30"
    assert [quarter_range(2565, q)[0].isoformat() for q in (1, 2, 3, 4)] == [
        "2021-10-01", "2022-01-01", "2022-04-01", "2022-07-01"]
    assert quarter_range(2565, 2)[1].isoformat() == "2022-03-31"
    day = quarter_range(2566, 3)[0]
    assert (fiscal_year_of(day), quarter_of(day)) == (2566, 3)


def test_a_forged_cursor_with_values_no_list_returns_is_refused():
    huge = base64.urlsafe_b64encode(b"[1180591620717411303424]").decode().rstrip("=")
    for forged, types in ((huge, (int,)), (encode_cursor(["a\u0000b"]), (str,))):
        with pytest.raises(ProblemError):
            decode_cursor(forged, *types)
