"""Quarterly progress reports and evaluations in a real browser: MOF's staff open their project S1-P3
from /agency, type a quarter's report whose indicator actual monitoring refuses (its problem shown,
the form as typed, the same Idempotency-Key), correct it and see the report listed as typed; their
evaluations page words the reasons of the project's status in Thai; the quarter reported twice is
refused and corrected as a new revision; OPDC's staff, who take no part
in S1-P3, get monitoring's refusal and never the report. Every page axe-clean; screenshots in Thai
and English. The tests run in file order (each step builds on the last)."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from console.api.i18n import translations

from tests.console.conftest import Suite, axe_violations, screenshot
from tests.console.test_console_pages import _sign_in, _switch_language, _thai_renders_as_glyphs

pytestmark = pytest.mark.browser

# A quarter no other console test reports, so the session's shared suite never holds it already.
FISCAL_YEAR, QUARTER = "2564", "3"
NARRATIVE = "เชื่อมข้อมูลสวัสดิการกับองค์กรปกครองส่วนท้องถิ่นแล้ว ๒๕ แห่ง ตามแผนงานไตรมาสที่สาม"
NOTE = "นับจากระบบทะเบียนกลาง ณ สิ้นไตรมาส"
INDICATOR_TH = "ร้อยละของท้องถิ่นที่เชื่อมข้อมูลสวัสดิการ"


def _in_thai(api_text: str) -> str:
    """An API's words as a Thai page shows them: the catalogue's translation where it has one."""
    return translations("th").gettext(api_text)


def _api(suite: Suite, client: str) -> httpx.Client:
    return httpx.Client(base_url=suite.base_url, timeout=30,
                        headers={"Authorization": f"Bearer {suite.client_token(client)}"})


@pytest.fixture(scope="module")
def project(suite: Suite) -> dict:
    """MOF leads S1-P3 (OAE supports it; OPDC takes no part). The secretariat attaches a percent
    indicator with an FY 2564 target of 80 from a baseline of 0 (indicators are the secretariat's)."""
    mof = _api(suite, "demo-agency-mof")
    found = mof.get("/api/v1/projects", params={"agency": "MOF", "role": "lead", "limit": 200}).json()["items"]
    s1p3 = next(p for p in found if p["code"] == "S1-P3")
    assert {r["agency"] for r in s1p3["roles"]} == {"MOF", "OAE"}
    code = f"S1-P3-LINK-{uuid.uuid4().hex[:6]}"
    made = _api(suite, "demo-secretariat").post(
        "/api/v1/monitoring/indicators", headers={"Idempotency-Key": uuid.uuid4().hex},
        json={"code": code, "name": {"th": INDICATOR_TH, "en": "Share of localities connected to welfare data"},
              "unit": "ร้อยละ", "measure_type": "percent", "baseline": "0", "baseline_year": 2563,
              "targets": [{"fiscal_year": int(FISCAL_YEAR), "target": "80"}],
              "link": {"type": "project", "id": s1p3["id"]}})
    assert made.status_code == 201, made.text
    return {"id": s1p3["id"], "code": "S1-P3", "indicator": code, "indicator_id": made.json()["indicator_id"]}


def _open_the_project(page, suite: Suite, username: str, code: str) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, suite, username)
    page.wait_for_url(re.compile(r"/inbox$"))
    page.get_by_role("navigation").get_by_role("link", name="หน่วยงานของฉัน").click()
    page.get_by_role("link", name=f"รายงานความก้าวหน้าและตัวชี้วัด {code}").click()
    page.wait_for_url(re.compile(r"/agency/projects/[^/?]+$"))


def _type_the_report(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("ปีงบประมาณ (พ.ศ. เช่น 2565)").fill("")
    page.get_by_label("ปีงบประมาณ (พ.ศ. เช่น 2565)").type(FISCAL_YEAR)
    page.get_by_label("ไตรมาส", exact=True).select_option(QUARTER)
    page.get_by_label("ร้อยละความก้าวหน้า (0–100)").fill("")
    page.get_by_label("ร้อยละความก้าวหน้า (0–100)").type("20.5")
    page.get_by_label("คำอธิบายผลการดำเนินงาน (ภาษาไทย)").fill("")
    page.get_by_label("คำอธิบายผลการดำเนินงาน (ภาษาไทย)").type(NARRATIVE)


def test_an_agency_reports_a_quarter_by_typing_and_a_refused_value_keeps_the_form(suite: Suite, page, project: dict) -> None:  # type: ignore[no-untyped-def]
    _open_the_project(page, suite, "mof-staff", project["code"])
    assert page.get_by_role("heading", level=1).inner_text().startswith("ความก้าวหน้าของโครงการ: S1-P3")
    row = page.locator(f"tr[data-indicator='{project['indicator']}']")
    assert INDICATOR_TH in row.inner_text() and "ปีงบประมาณ 2564: 80" in row.inner_text()
    assert "ยังไม่มี" in row.inner_text()  # no actual reported yet
    value = page.get_by_label(f"ผลการดำเนินงานของ {project['indicator']}")
    note = page.get_by_label(f"หมายเหตุของ {project['indicator']} (ต้องกรอกสำหรับตัวชี้วัดเชิงคุณภาพ)")

    _type_the_report(page)
    value.type("150")  # a percentage above 100: monitoring refuses it by name
    note.type(NOTE)
    key = page.locator("input[name=idempotency_key]").input_value()
    page.get_by_role("button", name="ส่งรายงาน").click()
    alert = page.get_by_role("alert")
    assert _in_thai("Request is not valid") in alert.inner_text() and "(422)" in alert.inner_text()
    assert page.locator(".problem-detail").inner_text() == "actuals.0.value: a percentage must be between 0 and 100"
    assert page.get_by_label("ปีงบประมาณ (พ.ศ. เช่น 2565)").input_value() == FISCAL_YEAR
    assert page.get_by_label("ไตรมาส", exact=True).input_value() == QUARTER
    assert page.get_by_label("ร้อยละความก้าวหน้า (0–100)").input_value() == "20.5"
    assert page.get_by_label("คำอธิบายผลการดำเนินงาน (ภาษาไทย)").input_value() == NARRATIVE
    assert value.input_value() == "150" and note.input_value() == NOTE
    assert page.locator("input[name=idempotency_key]").input_value() == key
    assert "โครงการนี้ยังไม่มีรายงานความก้าวหน้า" in page.locator("section[aria-labelledby=reports-h]").inner_text()
    _thai_renders_as_glyphs(page)
    assert axe_violations(page) == []
    screenshot(page, "agency-report-refused-th")

    value.fill("")
    value.type("12.5")
    page.get_by_role("button", name="ส่งรายงาน").click()
    page.wait_for_url(re.compile(r"/agency/projects/[^/?]+\?reported=1"))
    assert page.get_by_role("status").inner_text() == "ส่งรายงานความก้าวหน้าแล้ว"
    reports = page.get_by_role("table", name="รายงานความก้าวหน้ารายไตรมาสของโครงการ ล่าสุดก่อน")
    first = reports.locator("tbody tr").first.inner_text()
    assert first.startswith("ปีงบประมาณ 2564 ไตรมาสที่ 3") and "20.50%" in first
    assert NARRATIVE in first and f"{project['indicator']} 12.5 — {NOTE}" in first
    assert "ปีงบประมาณ 2564 ไตรมาสที่ 3: 12.5" in row.inner_text()
    _thai_renders_as_glyphs(page)
    assert axe_violations(page) == []
    screenshot(page, "agency-project-th")
    _switch_language(page, "en")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Project progress: S1-P3")
    assert "FY 2564 Q3" in page.get_by_role("table", name="The project's quarterly progress reports, newest first").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "agency-project-en")


def test_the_agencys_evaluations_give_the_status_with_its_reasons_in_thai(suite: Suite, page, project: dict) -> None:  # type: ignore[no-untyped-def]
    _open_the_project(page, suite, "mof-staff", project["code"])
    page.get_by_role("link", name="ผลการประเมินโครงการของหน่วยงาน").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("ผลการประเมินโครงการของหน่วยงาน")
    # Mid-July 2021 (BE 2564): the Q3 report counts and is not yet overdue, so every check is scored.
    page.get_by_label("ประเมิน ณ วันที่").fill("2021-07-15")
    page.get_by_role("button", name="แสดง").click()
    page.wait_for_url(re.compile(r"as_of=2021-07-15"))
    section = page.get_by_role("region", name=re.compile(r"^S1-P3 "))
    text = section.inner_text()
    assert "ไม่เป็นไปตามแผน" in text and "ณ วันที่ 15 กรกฎาคม 2564" in text
    assert "ความก้าวหน้า: รายงานร้อยละ 20.50 ในปีงบประมาณ 2564 ไตรมาสที่ 3 ขณะที่แผนคาดไว้ร้อยละ" in text
    assert (f"ตัวชี้วัด {project['indicator']}: บรรลุร้อยละ 15.63 ของค่าเป้าหมายปีงบประมาณ 2564 "
            "ขณะที่คาดไว้ร้อยละ 75.00 ณ ไตรมาสที่รายงาน") in text
    _thai_renders_as_glyphs(page)
    assert axe_violations(page) == []
    screenshot(page, "agency-evaluations-th")
    # Today the FY 2564 report is long past: the project is not reporting, and the page says which quarter is due.
    page.get_by_label("ประเมิน ณ วันที่").fill("")
    page.get_by_role("button", name="แสดง").click()
    page.wait_for_load_state()
    today = page.get_by_role("region", name=re.compile(r"^S1-P3 ")).inner_text()
    assert "ไม่ได้รายงาน" in today and "ซึ่งถึงกำหนดส่งแล้ว" in today
    page.goto(suite.base_url + "/agency/evaluations?as_of=2021-07-15")
    _switch_language(page, "en")
    english = page.get_by_role("region", name=re.compile(r"^S1-P3 ")).inner_text()
    assert "Off track" in english and "Progress: 20.50 percent complete reported for FY 2564 Q3" in english
    assert axe_violations(page) == []
    screenshot(page, "agency-evaluations-en")


def test_a_quarter_reported_twice_is_refused_and_a_correction_is_a_new_revision(suite: Suite, page, project: dict) -> None:  # type: ignore[no-untyped-def]
    _open_the_project(page, suite, "mof-staff", project["code"])
    _type_the_report(page)
    page.get_by_role("button", name="ส่งรายงาน").click()
    alert = page.get_by_role("alert").inner_text()
    assert "(409)" in alert and "FY2564 Q3 was already reported" in alert
    assert page.get_by_label("คำอธิบายผลการดำเนินงาน (ภาษาไทย)").input_value() == NARRATIVE

    page.get_by_role("link", name="แก้ไขรายงานนี้ ปีงบประมาณ 2564 ไตรมาสที่ 3").click()
    assert page.get_by_role("heading", name="แก้ไขรายงานรายไตรมาส").count() == 1
    # The form holds the report as it stands, to be corrected.
    assert page.get_by_label("ร้อยละความก้าวหน้า (0–100)").input_value() == "20.50"
    assert page.get_by_label(f"ผลการดำเนินงานของ {project['indicator']}").input_value() == "12.5"
    page.get_by_label("ร้อยละความก้าวหน้า (0–100)").fill("")
    page.get_by_label("ร้อยละความก้าวหน้า (0–100)").type("22")
    page.get_by_label("เหตุผลที่แก้ไขรายงาน").type("นับรวมท้องถิ่นที่เชื่อมข้อมูลปลายไตรมาส")
    assert axe_violations(page) == []
    page.get_by_role("button", name="ส่งรายงานฉบับแก้ไข").click()
    page.wait_for_url(re.compile(r"\?reported=1"))
    rows = page.get_by_role("table", name="รายงานความก้าวหน้ารายไตรมาสของโครงการ ล่าสุดก่อน").locator("tbody tr")
    assert rows.count() == 2  # the corrected report stays readable
    newest = rows.first.inner_text()
    assert "ฉบับแก้ไขครั้งที่ 2: นับรวมท้องถิ่นที่เชื่อมข้อมูลปลายไตรมาส" in newest and "22.00%" in newest
    assert "20.50%" in rows.nth(1).inner_text()
    # The indicator shows the quarter's actual once, from the newest revision.
    actuals = page.locator(f"tr[data-indicator='{project['indicator']}'] td").last.inner_text()
    assert actuals == "ปีงบประมาณ 2564 ไตรมาสที่ 3: 12.5"
    # Only the newest revision of a quarter can be corrected again.
    assert page.get_by_role("link", name=re.compile("^แก้ไขรายงานนี้")).count() == 1
    screenshot(page, "agency-report-corrected-th")


def test_another_agency_gets_monitorings_refusal_and_never_the_report(suite: Suite, page, project: dict) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, suite, "opdc-staff")
    page.wait_for_url(re.compile(r"/inbox$"))
    page.get_by_role("navigation").get_by_role("link", name="หน่วยงานของฉัน").click()
    assert page.get_by_role("link", name="รายงานความก้าวหน้าและตัวชี้วัด S1-P3").count() == 0
    assert page.get_by_role("link", name="รายงานความก้าวหน้าและตัวชี้วัด S1-P2").count() == 1  # its own project
    page.goto(f"{suite.base_url}/agency/projects/{project['id']}")
    assert page.get_by_role("heading", level=1).inner_text() == "ดำเนินการตามคำขอไม่สำเร็จ"
    alert = page.get_by_role("alert").inner_text()
    assert "(403)" in alert and _in_thai("An agency sees only the projects it takes part in.") in alert
    assert NARRATIVE not in page.content() and "12.5" not in page.locator("main").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "agency-project-refused-th")
    # A report posted by hand to the other agency's project is monitoring's refusal, and nothing is written.
    forged = page.request.post(f"{suite.base_url}/agency/projects/{project['id']}/reports", form={
        "csrf": page.locator("input[name=csrf]").first.input_value(), "idempotency_key": uuid.uuid4().hex,
        "fiscal_year": FISCAL_YEAR, "quarter": "4", "percent_complete": "99"})
    detail = _in_thai("Only the project's lead agency reports its progress.").replace("'", "&#39;")
    assert forged.status == 403 and f'<p class="problem-detail">{detail}</p>' in forged.text()
    written = _api(suite, "demo-agency-mof").get("/api/v1/monitoring/progress-reports", params={
        "project_id": project["id"], "fiscal_year": FISCAL_YEAR, "quarter": 4}).json()["items"]
    assert written == []
    page.goto(f"{suite.base_url}/agency/evaluations")
    assert page.get_by_role("region", name=re.compile(r"^S1-P3 ")).count() == 0
    assert page.get_by_role("region", name=re.compile(r"^S1-P2 ")).count() == 1


def test_a_signed_out_visitor_is_asked_to_sign_in_and_reads_or_writes_nothing(suite: Suite, project: dict) -> None:
    for method, path in (("GET", f"/agency/projects/{project['id']}"), ("GET", "/agency/evaluations"),
                         ("POST", f"/agency/projects/{project['id']}/reports")):
        answer = httpx.request(method, suite.base_url + path, data={"fiscal_year": "2564"} if method == "POST" else None,
                               follow_redirects=False, timeout=30)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/auth/signin?next=/agency/")
