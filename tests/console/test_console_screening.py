"""The screening round in a real browser: the secretariat opens an FY 2565 round by typing (the
API's refusals shown as their problems); an agency submits a budget request by typing; the
subcommittee's secretary decides three requests three ways naming the meeting, watches the board's
totals and funnel move, and submits the package; the committee approves it by vote and the board
shows the allocations; a plain member sees the board but no decision control; another agency never
sees the first one's request; an agency revises a request the subcommittee returned (FY 2564).
The tests run in file order (each step builds on the last, as the round does).
Every page axe-clean; screenshots in Thai and English. One running suite (the session's) serves it all."""

from __future__ import annotations

import re
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import httpx
import pytest

from console.domain.formatting import BANGKOK, format_date
from tests.console.conftest import Suite, axe_violations, screenshot
from tests.console.test_console_pages import _sign_in, _switch_language, _thai_renders_as_glyphs

pytestmark = pytest.mark.browser

SUBCOMMITTEE = "operations-budget-subcommittee"
SUBCOMMITTEE_TH = "คณะอนุกรรมการด้านการดำเนินงานและการพิจารณากลั่นกรองงบประมาณ"
ROUND_TITLE = "รอบกลั่นกรองงบประมาณ ปีงบประมาณ 2565"
MEETING = "การประชุมคณะอนุกรรมการด้านการดำเนินงานและงบประมาณ ครั้งที่ 1/2565"


def _api(suite: Suite, client: str) -> httpx.Client:
    return httpx.Client(base_url=suite.base_url, timeout=30,
                        headers={"Authorization": f"Bearer {suite.client_token(client)}"})


def _project(api: httpx.Client, agency: str, code: str) -> dict:
    found = api.get("/api/v1/projects", params={"agency": agency, "role": "lead", "limit": 200}).json()["items"]
    return next(p for p in found if p["code"] == code)


def _bangkok_today() -> date:
    return datetime.now(BANGKOK).date()


def _choose_the_plan(page) -> None:  # type: ignore[no-untyped-def]
    option = page.locator("#plan_id option", has_text="DGDP-2563-2565").inner_text()
    page.get_by_label("แผน", exact=True).select_option(label=option.strip())


def _fill_round_form(page, fiscal_year: str, submission: date, decision: date, title: str = "") -> None:  # type: ignore[no-untyped-def]
    _choose_the_plan(page)
    page.get_by_label("ปีงบประมาณ (พ.ศ. เช่น 2565)").fill(fiscal_year)
    if title:
        page.get_by_label("ชื่อรอบ (ไม่บังคับ ตามที่ฝ่ายเลขานุการตั้ง)").fill(title)
    page.get_by_label("วงเงินกรอบ (บาท)").fill("100,000,000")
    page.get_by_label("กำหนดส่งคำขอ").fill(submission.isoformat())
    page.get_by_label("กำหนดพิจารณาแล้วเสร็จ").fill(decision.isoformat())


def _open_fy_2565_by_typing(browser, suite: Suite) -> str:  # type: ignore[no-untyped-def]
    """The secretariat opens FY 2565 in the console, typing as a person would; the board it lands on
    shows the ceiling and the deadlines it typed, in the Buddhist Era."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        _sign_in(page, suite, "secretariat")
        page.wait_for_url(re.compile(r"/inbox$"))
        _go(page, "การกลั่นกรองงบประมาณ")
        assert axe_violations(page) == []  # the rounds page, before any round
        page.get_by_role("link", name="เปิดรอบกลั่นกรองงบประมาณ").click()
        assert page.get_by_role("heading", level=1).inner_text() == "เปิดรอบกลั่นกรองงบประมาณ"
        today = _bangkok_today()
        _choose_the_plan(page)
        page.get_by_label("ปีงบประมาณ (พ.ศ. เช่น 2565)").type("2565")
        page.get_by_label("ชื่อรอบ (ไม่บังคับ ตามที่ฝ่ายเลขานุการตั้ง)").type(ROUND_TITLE)
        page.get_by_label("วงเงินกรอบ (บาท)").type("100,000,000")
        page.get_by_label("กำหนดส่งคำขอ").fill((today + timedelta(days=7)).isoformat())
        page.get_by_label("กำหนดพิจารณาแล้วเสร็จ").fill((today + timedelta(days=14)).isoformat())
        _thai_renders_as_glyphs(page)
        assert axe_violations(page) == []
        screenshot(page, "screening-round-new-th")
        page.get_by_role("button", name="เปิดรอบ").click()
        page.wait_for_url(re.compile(r"/screening/rounds/[^/?]+\?opened=1$"))
        assert page.get_by_role("status").inner_text() == "เปิดรอบแล้ว หน่วยงานยื่นคำขอได้"
        facts = page.locator("dl.facts").inner_text()
        assert ROUND_TITLE in facts and "เปิดรับคำขอ" in facts
        assert format_date(today + timedelta(days=7), "th") in facts and format_date(today + timedelta(days=14), "th") in facts
        assert page.locator("table.totals tbody tr").first.inner_text() == "วงเงินกรอบ\t100,000,000.00 บาท"
        return re.search(r"/screening/rounds/([^/?]+)", page.url).group(1)  # type: ignore[union-attr]
    finally:
        context.close()


def _person(browser, suite: Suite, username: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    _sign_in(page, suite, username)
    page.wait_for_url(re.compile(r"/inbox$"))
    return context, page


def _make_the_second_member_secretary_by_clicking(browser, suite: Suite) -> None:  # type: ignore[no-untyped-def]
    """The operator, on the bodies page, makes อรุณี งบดี (demo-obs-member-2) the subcommittee's secretary."""
    context, page = _person(browser, suite, "operator")
    try:
        page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="การกำกับดูแล").click()
        page.get_by_role("navigation", name="การกำกับดูแล").get_by_role("link", name="คณะและสมาชิก").click()
        page.get_by_role("link", name=f"จัดการสมาชิกของ{SUBCOMMITTEE_TH}").click()
        page.get_by_role("link", name="แก้ไขหรือนำ อรุณี งบดี ออก").click()
        page.get_by_label("ตำแหน่ง").select_option(label="เลขานุการ")
        page.get_by_role("button", name="เปลี่ยนตำแหน่ง").click()
        page.wait_for_url(re.compile(r"\?changed=1$"))  # back on the body's page
        row = page.get_by_role("table", name=f"สมาชิกของ{SUBCOMMITTEE_TH}").get_by_role("row").filter(has_text="อรุณี งบดี")
        assert "เลขานุการ" in row.inner_text(), page.locator("main").inner_text()
    finally:
        context.close()


def _submit_by_typing(browser, suite: Suite, username: str, code: str, amounts: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    """An agency's staff submit the request of one of their projects on the agency page; its id."""
    context, page = _person(browser, suite, username)
    try:
        _go(page, "หน่วยงานของฉัน")
        page.locator("table.my-requests tbody tr").filter(has_text=code).get_by_role(
            "link", name=re.compile("ยื่นคำขอ")).click()
        for label, amount in amounts.items():
            page.get_by_label(label).type(amount)
        page.get_by_label("เหตุผลความจำเป็น").type("ตามแผนพัฒนารัฐบาลดิจิทัล")
        page.get_by_role("button", name="ยื่นคำขอ").click()
        page.wait_for_url(re.compile(r"/screening/requests/[^?]+\?submitted=1$"))
        assert page.get_by_role("status").inner_text() == "ยื่นคำขอตั้งงบประมาณแล้ว"
        return page.url.split("/screening/requests/")[1].split("?")[0]
    finally:
        context.close()


@pytest.fixture(scope="module")
def round_(suite: Suite, chromium_browser) -> dict:  # type: ignore[no-untyped-def]
    """Only by clicking and typing: the secretariat opens FY 2565; MOF (S1-P3) and OPDC (S1-P2) submit
    one request each; the operator makes the second demo member the subcommittee's secretary (the
    demo people hold no office there), so one person records decisions and another is a plain member."""
    round_id = _open_fy_2565_by_typing(chromium_browser, suite)
    _make_the_second_member_secretary_by_clicking(chromium_browser, suite)
    requests = {
        "S1-P3": _submit_by_typing(chromium_browser, suite, "mof-staff", "S1-P3", {"งบลงทุน": "12,000,000"}),
        "S1-P2": _submit_by_typing(chromium_browser, suite, "opdc-staff", "S1-P2", {"งบดำเนินงาน": "8,000,000"}),
    }
    return {"round_id": round_id, "requests": requests}


def _go(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("navigation").get_by_role("link", name=name).click()
    page.wait_for_load_state()


def test_the_apis_refusals_of_a_round_are_shown_and_the_form_keeps_what_was_typed(suite: Suite, page, round_: dict) -> None:  # type: ignore[no-untyped-def]
    """A fiscal year outside the plan, a deadline already past and a second FY 2565 round: each the
    ledger's problem title and detail, the form as typed, no round opened."""
    _sign_in(page, suite, "secretariat")
    page.wait_for_url(re.compile(r"/inbox$"))
    _go(page, "การกลั่นกรองงบประมาณ")
    rounds_before = page.locator("table.rounds tbody tr").count()
    page.get_by_role("link", name="เปิดรอบกลั่นกรองงบประมาณ").click()
    today = _bangkok_today()
    _fill_round_form(page, "2566", today + timedelta(days=7), today + timedelta(days=14), "รอบที่ไม่อยู่ในแผน")
    page.get_by_role("button", name="เปิดรอบ").click()
    alert = page.get_by_role("alert")
    assert "(422)" in alert.inner_text() and "2563–2565" in page.locator(".problem-detail").inner_text()
    assert page.get_by_label("ปีงบประมาณ (พ.ศ. เช่น 2565)").input_value() == "2566"
    assert page.get_by_label("ชื่อรอบ (ไม่บังคับ ตามที่ฝ่ายเลขานุการตั้ง)").input_value() == "รอบที่ไม่อยู่ในแผน"
    assert page.get_by_label("วงเงินกรอบ (บาท)").input_value() == "100,000,000"
    assert page.get_by_label("กำหนดส่งคำขอ").input_value() == (today + timedelta(days=7)).isoformat()
    assert axe_violations(page) == []
    screenshot(page, "screening-round-refused-th")

    # Yesterday's deadline (the end of that day in Bangkok has passed): refused by its field's name.
    _fill_round_form(page, "2563", today - timedelta(days=1), today + timedelta(days=14))
    page.get_by_role("button", name="เปิดรอบ").click()
    assert "submission_deadline" in page.locator(".problem-detail").inner_text()
    assert page.get_by_label("ปีงบประมาณ (พ.ศ. เช่น 2565)").input_value() == "2563"

    # One round per plan and fiscal year: FY 2565 is open already.
    _fill_round_form(page, "2565", today + timedelta(days=7), today + timedelta(days=14))
    page.get_by_role("button", name="เปิดรอบ").click()
    assert "(409)" in page.get_by_role("alert").inner_text()
    assert "2565" in page.locator(".problem-detail").inner_text()
    _switch_language(page, "en")
    assert page.get_by_role("heading", level=1).inner_text() == "Open a screening round"
    assert axe_violations(page) == []
    screenshot(page, "screening-round-new-en")
    page.get_by_role("link", name="Screening rounds").first.click()
    assert page.locator("table.rounds tbody tr").count() == rounds_before  # nothing was opened

    # Only the secretariat opens rounds: a body member has no link, and the page refuses her.
    page.context.clear_cookies()
    _sign_in(page, suite, "obs-member-1")
    page.wait_for_url(re.compile(r"/inbox$"))
    _go(page, "การกลั่นกรองงบประมาณ")
    assert page.get_by_role("link", name="เปิดรอบกลั่นกรองงบประมาณ").count() == 0
    page.goto(f"{suite.base_url}/screening/rounds/new")
    assert "ฝ่ายเลขานุการเท่านั้นที่เปิดรอบกลั่นกรองงบประมาณได้" in page.get_by_role("alert").inner_text()  # the console's own refusal, in Thai
    assert page.locator("form.open-round").count() == 0


def test_an_agency_submits_a_budget_request_by_typing(suite: Suite, page, round_: dict) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, suite, "mof-staff")
    page.wait_for_url(re.compile(r"/inbox$"))
    _go(page, "หน่วยงานของฉัน")
    assert page.get_by_role("heading", level=1).inner_text() == "หน่วยงานของฉัน: กระทรวงการคลัง (MOF)"
    rows = page.locator("table.my-requests tbody tr")
    assert rows.filter(has_text="S1-P3").get_by_text("ยังไม่ได้พิจารณา").count() == 1  # submitted in the round's setup
    assert rows.filter(has_text="S1-P2").count() == 0  # OPDC's project is not MOF's
    assert axe_violations(page) == []
    screenshot(page, "agency-th")
    rows.filter(has_text="S1-P1").get_by_role("link", name=re.compile("ยื่นคำขอ")).click()
    page.get_by_label("งบดำเนินงาน").type("2,000,000")
    page.get_by_label("งบลงทุน").type("3000000.50")
    page.get_by_label("เหตุผลความจำเป็น").type("ขยายระบบให้ครอบคลุมทุกจังหวัด")
    assert axe_violations(page) == []
    screenshot(page, "agency-request-form-th")
    page.get_by_role("button", name="ยื่นคำขอ").click()
    page.wait_for_url(re.compile(r"/screening/requests/[^?]+\?submitted=1$"))
    assert page.get_by_role("status").inner_text() == "ยื่นคำขอตั้งงบประมาณแล้ว"
    amounts = page.locator("table.amounts")
    assert "2,000,000.00 บาท" in amounts.inner_text() and "5,000,000.50 บาท" in amounts.inner_text()
    assert "ยังไม่ได้พิจารณา" in page.locator("dd.decision").inner_text()
    assert page.locator("form.decide").count() == 0
    # The history names the person (her own line: the API gives subject ids only).
    assert re.search(r"ยื่นคำขอ.*\(\d{1,2} \S+ 25\d\d, มานี การคลัง", page.locator("ol.history").inner_text())
    _thai_renders_as_glyphs(page)
    assert axe_violations(page) == []
    screenshot(page, "agency-request-th")
    _switch_language(page, "en")
    assert "THB 5,000,000.50" in page.locator("table.amounts").inner_text()
    assert "Not yet screened" in page.locator("dd.decision").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "agency-request-en")


def test_another_agency_never_sees_the_first_agencys_request(suite: Suite, page, round_: dict) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, suite, "opdc-staff")
    page.wait_for_url(re.compile(r"/inbox$"))
    _go(page, "หน่วยงานของฉัน")
    table = page.locator("table.my-requests")
    assert "S1-P2" in table.inner_text() and "S1-P1" not in table.inner_text() and "S1-P3" not in table.inner_text()
    page.goto(f"{suite.base_url}/screening/requests/{round_['requests']['S1-P3']}")
    assert "ไม่พบ" in page.content() or "not found" in page.get_by_role("alert").inner_text().lower()
    assert "ขยายระบบ" not in page.content()
    # The board is the subcommittee's: an agency is sent to its own requests.
    page.goto(f"{suite.base_url}/screening/rounds/{round_['round_id']}")
    assert page.url.endswith("/agency")


def test_a_plain_member_sees_the_board_but_no_decision_control(suite: Suite, page, round_: dict) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, suite, "obs-member-1")
    page.wait_for_url(re.compile(r"/inbox$"))
    _go(page, "การกลั่นกรองงบประมาณ")
    page.get_by_role("link", name="รอบกลั่นกรองงบประมาณ ปีงบประมาณ 2565").click()
    assert page.locator("[data-total=requested]").inner_text() == "25,000,000.50 บาท"
    assert page.locator("form[action$='/package']").count() == 0
    assert "ประธานหรือเลขานุการ" in page.locator(".who-decides").inner_text()
    page.locator("table.requests").get_by_role("link", name=re.compile("S1-P1")).click()
    assert page.locator("form.decide").count() == 0 and page.get_by_role("radio").count() == 0
    assert "ประธานหรือเลขานุการ" in page.locator(".who-decides").inner_text()
    assert axe_violations(page) == []


def _decide(page, project: str, decision: str, reason: str, amounts: dict[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
    page.locator("table.requests").get_by_role("link", name=re.compile(project)).click()
    page.get_by_label(decision, exact=True).check()
    for label, amount in (amounts or {}).items():
        page.get_by_label(label, exact=True).type(amount)
    page.get_by_label("ลำดับความสำคัญ (1 = อันดับแรก)").type({"S1-P1": "1", "S1-P3": "2"}.get(project, "3"))
    page.get_by_label("เหตุผล", exact=True).type(reason)
    page.get_by_label("การประชุม (ตามรายงานการประชุม)").type(MEETING)
    page.get_by_label("วันที่ประชุม").fill(datetime.now(ZoneInfo("Asia/Bangkok")).date().isoformat())
    page.get_by_label("เลขที่มติ (ไม่บังคับ)").type(f"วาระที่ 3.{project[-1]}")
    page.get_by_role("button", name="บันทึกมติ").click()
    page.wait_for_url(re.compile(r"\?decided=1$"))
    assert page.get_by_role("status").inner_text() == f"บันทึกมติแล้ว: {decision}"
    history = page.locator("ol.history").inner_text()
    assert MEETING in history and f"วาระที่ 3.{project[-1]}" in history and reason in history
    assert "demo-obs-member-2" not in history  # the person's name, not her subject id


def test_the_secretary_decides_three_ways_and_submits_the_package(suite: Suite, page, round_: dict) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, suite, "obs-member-2")
    page.wait_for_url(re.compile(r"/inbox$"))
    board = f"{suite.base_url}/screening/rounds/{round_['round_id']}"
    page.goto(board)
    assert page.locator("[data-total=requested]").inner_text() == "25,000,000.50 บาท"
    assert page.locator("[data-total=recommended]").inner_text() == "0.00 บาท"
    assert "0 จาก 3 คำขอ" in page.locator("[data-total=screened]").inner_text()
    funnel = page.locator(".funnel-row[data-stage=requested]")
    assert "ร้อยละ 25.0 ของวงเงิน" in funnel.inner_text()
    _thai_renders_as_glyphs(page)
    assert axe_violations(page) == []
    screenshot(page, "screening-board-before-th")

    # A meeting dated tomorrow is refused by the ledger: its problem title and detail are shown, the
    # form keeps what was typed, and nothing is recorded.
    page.locator("table.requests").get_by_role("link", name=re.compile("S1-P1")).click()
    page.get_by_label("เสนอเต็มวงเงิน", exact=True).check()
    page.get_by_label("เหตุผล", exact=True).fill("ทดลองวันที่ล่วงหน้า")
    page.get_by_label("การประชุม (ตามรายงานการประชุม)").fill(MEETING)
    tomorrow = datetime.now(ZoneInfo("Asia/Bangkok")).date() + timedelta(days=1)
    page.get_by_label("วันที่ประชุม").fill(tomorrow.isoformat())
    page.get_by_role("button", name="บันทึกมติ").click()
    alert = page.get_by_role("alert")
    assert "(422)" in alert.inner_text() and page.locator(".problem-detail").count() == 1
    assert page.get_by_label("การประชุม (ตามรายงานการประชุม)").input_value() == MEETING
    assert "ยังไม่ได้พิจารณา" in page.locator("dd.decision").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "screening-decision-refused-th")
    page.goto(board)

    _decide(page, "S1-P1", "เสนอเต็มวงเงิน", "สอดคล้องกับเป้าหมายยุทธศาสตร์ที่ 1")
    assert axe_violations(page) == []
    screenshot(page, "screening-request-decided-th")
    page.goto(board)
    _decide(page, "S1-P3", "เสนอปรับลดวงเงิน", "ลดขอบเขตระยะแรก", {"งบลงทุน": "9,500,000"})
    assert "9,500,000.00 บาท" in page.locator("table.amounts").inner_text()
    page.goto(board)
    _decide(page, "S1-P2", "ไม่เสนอ", "ซ้ำซ้อนกับโครงการเดิม")

    page.goto(board)
    assert page.locator("[data-total=recommended]").inner_text() == "14,500,000.50 บาท"
    assert page.locator("[data-total=remaining]").inner_text() == "85,499,999.50 บาท"
    assert "3 จาก 3 คำขอ" in page.locator("[data-total=screened]").inner_text()
    assert "ร้อยละ 14.5 ของวงเงิน" in page.locator(".funnel-row[data-stage=recommended]").inner_text()
    # Filter the list: the rejected one only.
    page.get_by_label("มติ", exact=True).select_option(label="ไม่เสนอ")
    page.get_by_role("button", name="แสดง").click()
    listed = page.locator("table.requests tbody tr")
    assert listed.count() == 1 and "S1-P2" in listed.inner_text()
    page.goto(board)
    # A download goes through the console with the person's token.
    with page.expect_download() as download:
        page.get_by_role("link", name="คำขอและมติ (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")
    assert axe_violations(page) == []
    screenshot(page, "screening-board-decided-th")

    _rank_the_three(suite, round_["round_id"])
    page.goto(f"{board}?sort=ranking")
    ranked = page.locator("table.requests tbody tr[data-rank]")
    assert ranked.count() == 3
    assert [ranked.nth(i).get_attribute("data-rank") for i in range(3)] == ["1", "2", "3"]
    assert "S1-P3" in ranked.nth(0).inner_text() and "S1-P2" in ranked.nth(2).inner_text()
    assert page.locator("tr[data-cut-line]").count() == 1  # everything fits: the line under the last
    assert "(3 จาก 3 คำขอ)" in page.locator("[data-total=cut-line]").inner_text()
    assert "ร่าง" in page.locator("[data-total=ranking]").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "screening-board-ranking-th")

    page.get_by_role("button", name="เสนอชุดคำขอต่อคณะกรรมการ").click()
    page.wait_for_url(re.compile(r"\?submitted=1$"))
    assert page.get_by_role("status").inner_text() == "เสนอชุดคำขอต่อคณะกรรมการแล้ว"
    assert page.locator("form[action$='/package']").count() == 0
    assert "เสนอชุดคำขอเมื่อ" in page.locator("section[aria-labelledby=package-h]").inner_text()

    _switch_language(page, "en")
    assert page.locator("[data-total=recommended]").inner_text() == "THB 14,500,000.50"
    assert "Package with the committee" in page.locator("dl.facts").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "screening-board-en")
    page.locator("table.requests").get_by_role("link", name=re.compile("S1-P3")).click()
    assert "Recommend reduced" in page.locator("dd.decision").inner_text()
    assert MEETING in page.locator("dd").filter(has_text="ครั้งที่").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "screening-request-en")


def _rank_the_three(suite: Suite, round_id: str) -> None:
    """The secretariat's criteria and scores for the round's three requests (as data, through the
    API: the console shows a ranking, the secretariat keeps it with its own tools)."""
    api = _api(suite, "demo-secretariat")
    base = f"/api/v1/screening/rounds/{round_id}"
    criteria = api.put(f"{base}/ranking/criteria", json={"criteria": [
        {"code": "target-alignment", "weight": "3",
         "name": {"th": "ความสอดคล้องกับเป้าหมายของแผน", "en": "Alignment with the plan's targets"}},
        {"code": "readiness", "weight": "1", "name": {"th": "ความพร้อมของโครงการ", "en": "Readiness"}}]})
    assert criteria.status_code == 200, criteria.text
    codes = {p["id"]: p["code"] for p in api.get("/api/v1/projects", params={"limit": 200}).json()["items"]}
    by_code = {codes[r["project_id"]]: r["request_id"]
               for r in api.get(f"{base}/requests", params={"limit": 50}).json()["items"]}
    marks = {"S1-P3": ("95", "80"), "S1-P1": ("85", "70"), "S1-P2": ("40", "60")}
    scores = api.put(f"{base}/ranking/scores", json={"scores": [
        {"request_id": by_code[code], "criterion": criterion, "score": score, "reason": f"ตามเกณฑ์ {criterion}"}
        for code, pair in marks.items() for criterion, score in zip(("target-alignment", "readiness"), pair)]})
    assert scores.status_code == 200, scores.text


def _reload_until(page, selector: str, text: str, seconds: float = 20) -> str:  # type: ignore[no-untyped-def]
    """Reload as a person waiting would: the package and the approval travel by event between services."""
    deadline = time.monotonic() + seconds
    while True:
        shown = page.locator(selector).inner_text() if page.locator(selector).count() else ""
        if text in shown or time.monotonic() > deadline:
            return shown
        time.sleep(0.5)
        page.reload()


def _vote_to_approve(page, suite: Suite, username: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    _sign_in(page, suite, username)
    page.wait_for_url(re.compile(r"/inbox$"))
    row = page.locator("table.inbox tbody tr").filter(has_text="ปีงบประมาณ 2565")
    assert row.count() == 1 and "คณะกรรมการพัฒนารัฐบาลดิจิทัล" in row.inner_text()
    row.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/inbox/[0-9a-f-]+$"))
    assert "รอบกลั่นกรองงบประมาณ ปีงบประมาณ 2565" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_label("อนุมัติ", exact=True).check()
    page.get_by_label("เหตุผล").type(reason)
    page.get_by_role("button", name="ลงมติ").click()
    page.wait_for_url(re.compile(r"\?voted=1$"))


def test_the_committee_approves_the_package_and_the_board_shows_the_allocations(suite: Suite, page, round_: dict) -> None:  # type: ignore[no-untyped-def]
    """After the package: the board shows the committee's vote as it stands; the chair and one member
    approve (two of three: the majority of the committee); the last member finds nothing waiting;
    the board then shows the approved amounts per request, strategy and agency, and the funnel's
    approved bar; the agency sees its request approved."""
    board = f"{suite.base_url}/screening/rounds/{round_['round_id']}"
    _sign_in(page, suite, "obs-member-2")
    page.wait_for_url(re.compile(r"/inbox$"))
    page.goto(board)
    waiting = _reload_until(page, "section.committee", "ลงมติแล้ว 0 จาก 3 คน")
    assert "ชุดคำขอรอการลงมติของคณะกรรมการ" in waiting and "ลงมติแล้ว 0 จาก 3 คน องค์ประชุมคือ 2 คน" in waiting
    assert page.locator("[data-total=approved]").inner_text() == "0.00 บาท"
    recommended = page.locator("[data-total=recommended]").inner_text()
    strategies = page.get_by_role("table", name="สถานะรายยุทธศาสตร์").locator("tbody th").all_inner_texts()

    _vote_to_approve(page, suite, "dgc-chair", "ชุดคำขอเป็นไปตามกรอบวงเงินและยุทธศาสตร์")
    assert page.get_by_role("status").inner_text() == "บันทึกมติของท่านแล้ว: อนุมัติ"
    # What the committee decided on is on its page: the package's totals and recommendations per strategy.
    package = page.locator("section.decision-package")
    assert package.locator("[data-total=recommended]").inner_text() == recommended
    assert package.get_by_role("table", name="ข้อเสนอแนะรายยุทธศาสตร์").locator("tbody th").all_inner_texts() == strategies
    assert "ลงมติแล้ว 1 จาก 3 คน" in page.locator("section.tally").inner_text()

    # While the committee decides, the board shows its tally (for the subcommittee, as it waits).
    page.context.clear_cookies()
    _sign_in(page, suite, "obs-member-2")
    page.wait_for_url(re.compile(r"/inbox$"))
    page.goto(board)
    committee = page.locator("section.committee").inner_text()
    assert "ลงมติแล้ว 1 จาก 3 คน" in committee and "อนุมัติ: 1" in committee
    assert "เสนอคณะกรรมการแล้ว" in page.locator("dl.facts").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "screening-board-committee-th")

    _vote_to_approve(page, suite, "dgc-member-1", "เห็นชอบตามที่คณะอนุกรรมการเสนอ")
    # The second vote decided: the stage left the committee, so no form is left to vote with.
    assert page.locator("form.vote").count() == 0
    assert "คณะกรรมการให้ความเห็นชอบ" not in page.locator("dl.facts").inner_text()

    page.context.clear_cookies()
    _sign_in(page, suite, "dgc-member-2")
    page.wait_for_url(re.compile(r"/inbox$"))
    assert page.locator("table.inbox tbody tr").filter(has_text="ปีงบประมาณ 2565").count() == 0

    # The allocations: the ledger posts the approved amounts on the committee's event.
    page.context.clear_cookies()
    _sign_in(page, suite, "secretariat")
    page.wait_for_url(re.compile(r"/inbox$"))
    page.goto(board)
    assert _reload_until(page, "[data-total=approved]", "14,500,000.50 บาท") == "14,500,000.50 บาท"
    assert "อนุมัติ" in page.locator("dl.facts").inner_text()
    assert "คณะกรรมการเห็นชอบชุดคำขอเมื่อ " + format_date(_bangkok_today(), "th") in page.locator("section.committee").inner_text()
    assert "ร้อยละ 14.5 ของวงเงิน" in page.locator(".funnel-row[data-stage=approved]").inner_text()
    rows = page.locator("table.requests tbody tr")
    approved = {code: rows.filter(has_text=code).locator("td[data-approved]").inner_text() for code in ("S1-P1", "S1-P2", "S1-P3")}
    assert approved == {"S1-P1": "5,000,000.50 บาท", "S1-P2": "0.00 บาท", "S1-P3": "9,500,000.00 บาท"}
    by_agency = page.locator("table.status-table").nth(1).locator("tbody tr")
    assert "14,500,000.50 บาท" in by_agency.filter(has_text="กระทรวงการคลัง").inner_text()
    assert by_agency.filter(has_text="สำนักงาน ก.พ.ร.").inner_text().rstrip().endswith("0.00 บาท")
    assert "14,500,000.50 บาท" in page.locator("table.status-table").first.locator("tbody tr").first.inner_text()
    _thai_renders_as_glyphs(page)
    assert axe_violations(page) == []
    screenshot(page, "screening-board-allocations-th")
    _switch_language(page, "en")
    assert page.locator("[data-total=approved]").inner_text() == "THB 14,500,000.50"
    assert "approved the package" in page.locator("section.committee").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "screening-board-allocations-en")

    # The agency sees its own request approved, in its history.
    page.context.clear_cookies()
    _sign_in(page, suite, "mof-staff")
    page.wait_for_url(re.compile(r"/inbox$"))
    page.goto(f"{suite.base_url}/screening/requests/{round_['requests']['S1-P3']}")
    assert "อนุมัติ · 9,500,000.00 บาท" in page.locator("ol.history").inner_text()


def test_an_agency_revises_a_request_the_subcommittee_returned(suite: Suite, page) -> None:  # type: ignore[no-untyped-def]
    """FY 2564 (the FY 2565 round is with the committee now): the chair returns MOF's request by API
    naming the meeting; MOF's staff finds it in its agency page, revises it by typing, and sees it."""
    secretariat, mof, chair = (_api(suite, c) for c in ("demo-secretariat", "demo-agency-mof", "demo-obs-chair"))
    plan = secretariat.get("/api/v1/plans", params={"q": "DGDP-2563-2565"}).json()["items"][0]
    now = datetime.now(timezone.utc)
    opened = secretariat.post("/api/v1/screening/rounds", headers={"Idempotency-Key": uuid.uuid4().hex}, json={
        "plan_id": plan["id"], "fiscal_year": 2564, "ceiling": "50000000.00",
        "submission_deadline": (now + timedelta(days=7)).isoformat(),
        "decision_deadline": (now + timedelta(days=14)).isoformat()})
    assert opened.status_code == 201, opened.text
    project = _project(mof, "MOF", "S1-P3")
    sent = mof.post(f"/api/v1/screening/rounds/{opened.json()['round_id']}/requests",
                    headers={"Idempotency-Key": uuid.uuid4().hex},
                    json={"project_id": project["id"], "amounts": {"investment": "4000000.00"}, "justification": "ระยะที่ 1"})
    assert sent.status_code == 201, sent.text
    returned = chair.post(f"/api/v1/screening/requests/{sent.json()['request_id']}/decisions",
                          headers={"Idempotency-Key": uuid.uuid4().hex},
                          json={"decision": "return", "reason": "ขอรายละเอียดงบดำเนินงาน",
                                "meeting": {"title": MEETING, "held_on": datetime.now(ZoneInfo("Asia/Bangkok")).date().isoformat()}})
    assert returned.status_code == 201, returned.text

    _sign_in(page, suite, "mof-staff")
    page.wait_for_url(re.compile(r"/inbox$"))
    _go(page, "หน่วยงานของฉัน")
    # Only open rounds are listed: FY 2565 is with the committee now.
    assert page.locator(".round-requests").count() == 1
    row = page.locator(".round-requests[data-fiscal-year='2564'] tbody tr").filter(has_text="S1-P3")
    assert "ส่งกลับให้ปรับปรุง" in row.inner_text()
    row.get_by_role("link", name=re.compile("ปรับปรุงคำขอ")).click()
    assert "ขอรายละเอียดงบดำเนินงาน" in page.locator("ol.history").inner_text()
    assert page.get_by_label("งบลงทุน").input_value() == "4000000.00"  # the form starts from the request
    page.get_by_label("งบดำเนินงาน").type("500,000")
    page.get_by_label("เหตุผลความจำเป็น").fill("ระยะที่ 1 พร้อมรายละเอียดงบดำเนินงาน")
    assert axe_violations(page) == []
    screenshot(page, "agency-revision-th")
    page.get_by_role("button", name="ยื่นคำขอที่ปรับปรุงแล้ว").click()
    page.wait_for_url(re.compile(r"\?revised=1$"))
    assert page.get_by_role("status").inner_text() == "ยื่นคำขอที่ปรับปรุงแล้ว"
    assert "4,500,000.00 บาท" in page.locator("table.amounts tfoot").inner_text()
    assert "ปรับปรุงแล้ว" in page.locator("ol.history").inner_text()
