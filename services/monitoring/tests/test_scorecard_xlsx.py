"""The plan scorecard as an XLSX workbook: a sheet per table, Thai headers and labels (English
with lang=en), amounts as exact two-place numbers; the same visibility as the JSON."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from monitoring_test_events import PLAN_ID, feed, plan_drafted, seed_plan_events, structure_published

SCORECARD = f"/api/v1/monitoring/plans/{PLAN_ID}/scorecard"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def seeded(runtime, settings):  # type: ignore[no-untyped-def]
    settings.fixed_today = date(2022, 5, 15)
    await feed(runtime, *seed_plan_events())


async def test_scorecard_workbook_has_a_sheet_per_table_in_thai(client, seeded):
    card = (await client.get(SCORECARD, params={"fiscal_year": 2565})).json()
    response = await client.get(SCORECARD, params={"fiscal_year": 2565, "format": "xlsx"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"] == 'attachment; filename="scorecard-2565.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert [s.title for s in book.worksheets] == ["แผน", "ยุทธศาสตร์", "เป้าหมายของแผน", "โครงการ"]
    plan = list(book["แผน"].iter_rows(values_only=True))
    header = plan[0]
    assert header[:2] == ("รหัสแผน", "ชื่อแผน") and "กรอบวงเงิน (บาท)" in header
    framework = plan[1][header.index("กรอบวงเงิน (บาท)")]
    assert Decimal(repr(framework)).quantize(Decimal("0.01")) == Decimal(card["budget"]["framework"]) == Decimal("6504690000.00")
    cell = book["แผน"].cell(row=2, column=header.index("กรอบวงเงิน (บาท)") + 1)
    assert cell.number_format == "#,##0.00"
    strategies = list(book["ยุทธศาสตร์"].iter_rows(min_row=2, values_only=True))
    assert len(strategies) == len(card["strategies"]) and strategies[0][1].startswith("ยกระดับ")
    projects = list(book["โครงการ"].iter_rows(values_only=True))
    labels = {row[projects[0].index("สถานะ")] for row in projects[1:]}
    assert labels and labels <= {"เป็นไปตามแผน", "มีความเสี่ยง", "ไม่เป็นไปตามแผน", "ดำเนินการแล้วเสร็จ", "ยังไม่รายงานผล"}
    assert any(row[1] == "ระบบฐานข้อมูลเกษตรกร" for row in projects[1:])

    english = await client.get(SCORECARD, params={"fiscal_year": 2565, "format": "xlsx", "lang": "en"})
    book = load_workbook(io.BytesIO(english.content))
    assert [s.title for s in book.worksheets] == ["Plan", "Strategies", "Plan targets", "Projects"]
    assert list(book["Plan"].iter_rows(values_only=True))[0][:2] == ("Plan code", "Plan")


async def test_a_draft_plans_workbook_is_not_public(client, identity, runtime, settings):
    settings.fixed_today = date(2026, 1, 1)
    await feed(runtime, plan_drafted("draft"), structure_published("draft", start_fy=2569, end_fy=2573))
    url = "/api/v1/monitoring/plans/draft/scorecard"
    assert (await client.get(url, params={"fiscal_year": 2569, "format": "xlsx"})).status_code == 401
    ok = await client.get(url, params={"fiscal_year": 2569, "format": "xlsx"}, headers=identity("body_member", bodies=["nesdc"]))
    assert ok.status_code == 200 and ok.headers["content-type"] == XLSX
