"""The oversight and operators' pages in a real browser: an operator adds a member to the Cabinet,
is refused a second chair for the subcommittee (the API's problem shown), removes the member
again, then finds those changes in the audit log by filtering on who and on the day (typed in the
Buddhist Era), pages through the log and verifies the chain; the bodies page names the
subcommittee's chair; the workflows page shows plan approval's stages committee → NESDC → Cabinet
in order; an agency person gets no link and a refusal on each page. Each test stands alone (the
suite is shared: the Cabinet's roster ends as it began, but for one former member). Every page
axe-clean; screenshots in Thai and English."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

import pytest

from console.domain.formatting import BANGKOK, THAI_MONTHS
from tests.console.conftest import Suite, axe_violations, screenshot
from tests.console.test_console_pages import _sign_in, _switch_language, _thai_renders_as_glyphs

pytestmark = pytest.mark.browser

OPERATOR_NAME = "ประยุทธ ดูแลระบบ (ผู้ดูแลระบบ)"
SUBCOMMITTEE_TH = "คณะอนุกรรมการด้านการดำเนินงานและการพิจารณากลั่นกรองงบประมาณ"


def _signed_in(page, suite: Suite, username: str) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, suite, username)
    page.wait_for_url(re.compile(r"/inbox$"))


def _open_oversight(page, section: str) -> None:  # type: ignore[no-untyped-def]
    """By the header's link, then the oversight pages' own navigation."""
    subnav = page.get_by_role("navigation", name="การกำกับดูแล")
    if subnav.count() == 0:
        page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="การกำกับดูแล").click()
    subnav.get_by_role("link", name=section).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == section


def _be_date(moment: datetime) -> str:
    """The day/month/Buddhist-year a person types for a Bangkok day."""
    day = moment.astimezone(BANGKOK).date()
    return f"{day.day}/{day.month}/{day.year + 543}"


def _thai_day(moment: datetime) -> str:
    day = moment.astimezone(BANGKOK).date()
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + 543}"


def test_an_operator_changes_a_roster_and_finds_it_in_the_verified_audit_log(suite: Suite, page) -> None:  # type: ignore[no-untyped-def]
    _signed_in(page, suite, "operator")
    _open_oversight(page, "คณะและสมาชิก")
    page.get_by_role("link", name="จัดการสมาชิกของคณะรัฐมนตรี").click()
    assert page.get_by_role("heading", level=1).inner_text() == "คณะรัฐมนตรี"
    account = f"demo-observer-{uuid.uuid4().hex[:8]}"
    page.get_by_label("บัญชีผู้ใช้ (รหัสบุคคลในระบบยืนยันตัวตน)").type(account)
    page.get_by_label("ชื่อในทำเนียบ").type("ทดสอบ ตรวจตรา")
    page.get_by_label("ตำแหน่ง").select_option(label="กรรมการ")
    page.get_by_role("button", name="เพิ่มสมาชิก").click()
    assert page.get_by_role("status").inner_text() == "เพิ่มสมาชิกแล้ว"
    row = page.get_by_role("table", name="สมาชิกของคณะรัฐมนตรี").get_by_role("row").filter(has_text="ทดสอบ ตรวจตรา")
    assert "กรรมการ" in row.inner_text() and account in row.inner_text()
    assert axe_violations(page) == []

    # The subcommittee has its chair: a second one is refused, and the page says why.
    page.get_by_role("link", name="คณะและสมาชิก").click()
    page.get_by_role("link", name=f"จัดการสมาชิกของ{SUBCOMMITTEE_TH}").click()
    page.get_by_role("link", name="แก้ไขหรือนำ วีระ คำนวณ ออก").click()
    assert page.get_by_role("heading", level=1).inner_text() == "วีระ คำนวณ"
    page.get_by_label("ตำแหน่ง").select_option(label="ประธาน")
    page.get_by_role("button", name="เปลี่ยนตำแหน่ง").click()
    alert = page.get_by_role("alert")
    assert "(409)" in alert.locator(".problem-title").inner_text()
    assert "already has an active chair" in alert.locator(".problem-detail").inner_text()
    assert page.locator("dd.office").inner_text() == "กรรมการ"  # nothing changed
    assert "Traceback" not in page.content()
    assert axe_violations(page) == []

    # The Cabinet's roster as it began: the member removed, kept as a former member.
    page.goto(suite.base_url + "/oversight/bodies/cabinet")
    page.get_by_role("link", name="แก้ไขหรือนำ ทดสอบ ตรวจตรา ออก").click()
    page.get_by_role("button", name="นำ ทดสอบ ตรวจตรา ออกจากคณะ").click()
    assert page.get_by_role("status").inner_text() == "นำสมาชิกออกจากคณะแล้ว"
    assert page.get_by_role("table", name="สมาชิกของคณะรัฐมนตรี").get_by_text("ทดสอบ ตรวจตรา").count() == 0
    assert "ทดสอบ ตรวจตรา" in page.locator("ul.former").inner_text()

    # The audit log: the operator's own changes, filtered by who and by today's date in the BE.
    _open_oversight(page, "บันทึกการตรวจสอบ")
    today = datetime.now(BANGKOK)
    page.get_by_label("ผู้กระทำ").select_option(label=OPERATOR_NAME)
    page.get_by_label("ตั้งแต่วันที่ (วัน/เดือน/ปี พ.ศ.)").type(_be_date(today))
    page.get_by_label("ถึงวันที่ (วัน/เดือน/ปี พ.ศ.)").type(_be_date(today))
    page.get_by_role("button", name="แสดง").click()
    page.wait_for_load_state()
    table = page.get_by_role("table", name="รายการบันทึกการตรวจสอบ")
    rows = table.locator("tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    mine = [t for t in texts if "คณะรัฐมนตรี" in t]
    assert len(mine) == 2, texts
    assert "เพิ่มสมาชิก: กรรมการ" in mine[0] and "แก้ไขสมาชิก" in mine[1]
    for text in texts:
        assert OPERATOR_NAME in text and "ผู้ดูแลระบบ" in text
        assert f"{_thai_day(today)} เวลา" in text
    assert table.get_by_role("link", name="คณะรัฐมนตรี").first.get_attribute("href") == "/oversight/bodies#body-cabinet"
    # Each entry shows its hash and its predecessor's.
    entry = rows.filter(has_text="เพิ่มสมาชิก").last
    entry.locator("summary").click()
    hashes = entry.locator("code").all_inner_texts()
    assert len(hashes) == 2 and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)
    # The filters stay as chosen, the dates shown back in the Buddhist Era.
    assert page.get_by_label("ตั้งแต่วันที่ (วัน/เดือน/ปี พ.ศ.)").input_value() == _be_date(today)

    # Another day: nothing; a date that is not one: its problem, the form kept.
    page.get_by_label("ถึงวันที่ (วัน/เดือน/ปี พ.ศ.)").fill("1/1/2560")
    page.get_by_label("ตั้งแต่วันที่ (วัน/เดือน/ปี พ.ศ.)").fill("1/1/2560")
    page.get_by_role("button", name="แสดง").click()
    assert page.get_by_role("table", name="รายการบันทึกการตรวจสอบ").inner_text().strip().endswith("ไม่มีรายการที่ตรงกับตัวกรอง")
    page.get_by_label("ตั้งแต่วันที่ (วัน/เดือน/ปี พ.ศ.)").fill("31/2/2569")
    page.get_by_role("button", name="แสดง").click()
    assert page.get_by_role("alert").locator(".problem-title").inner_text().startswith("อ่านวันที่ไม่ได้")
    assert page.get_by_label("ตั้งแต่วันที่ (วัน/เดือน/ปี พ.ศ.)").input_value() == "31/2/2569"

    # Everyone's entries, a page at a time with the API's cursor, then the chain verified.
    page.get_by_role("link", name="ล้างตัวกรอง").click()
    page.get_by_label("จำนวนรายการต่อหน้า").select_option("10")
    page.get_by_role("button", name="แสดง").click()
    first = page.locator("table.audit tbody th[scope=row]").all_inner_texts()
    assert first == [str(n) for n in range(1, 11)]
    page.get_by_role("link", name="รายการถัดไป").click()
    assert page.locator("table.audit tbody th[scope=row]").first.inner_text() == "11"
    assert page.get_by_label("จำนวนรายการต่อหน้า").input_value() == "10"
    page.get_by_role("button", name="ตรวจสอบสายบันทึก").click()
    verdict = page.get_by_role("status").inner_text()
    matched = re.fullmatch(r"สายบันทึกถูกต้อง: รายการทั้งหมด (\d+) รายการ จนถึงรายการที่ (\d+) ไม่ถูกแก้ไข", verdict.strip())
    assert matched and matched.group(1) == matched.group(2) and int(matched.group(1)) >= 11, verdict
    _thai_renders_as_glyphs(page)
    assert axe_violations(page) == []
    screenshot(page, "audit-log-th")
    _switch_language(page, "en")
    assert page.get_by_role("heading", level=1).inner_text() == "Audit log"
    assert page.get_by_role("status").inner_text().startswith("The chain is verified")
    assert axe_violations(page) == []
    screenshot(page, "audit-log-en")


def test_the_bodies_page_names_each_body_its_members_offices_and_rule(suite: Suite, page) -> None:  # type: ignore[no-untyped-def]
    _signed_in(page, suite, "operator")
    _open_oversight(page, "คณะและสมาชิก")
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings[:2] == ["คณะกรรมการพัฒนารัฐบาลดิจิทัล", SUBCOMMITTEE_TH]
    assert {"สภาพัฒนาการเศรษฐกิจและสังคมแห่งชาติ", "คณะรัฐมนตรี"} <= set(headings)
    subcommittee = page.locator("#body-operations-budget-subcommittee")
    chair = subcommittee.get_by_role("row").filter(has_text="ประธาน")
    assert chair.count() == 1 and "วิไล ตรวจงบ" in chair.inner_text()
    facts = subcommittee.locator("dl.rule").inner_text()
    assert "อยู่ภายใต้\nคณะกรรมการพัฒนารัฐบาลดิจิทัล" in facts
    assert "ไม่น้อยกว่า 1/2 ของจำนวนสมาชิก" in facts and "ขณะนี้ 2 จาก 3 คน" in facts
    assert "หากคะแนนเสียงเท่ากัน ให้ประธานออกเสียงชี้ขาด" in facts
    _thai_renders_as_glyphs(page)
    assert axe_violations(page) == []
    screenshot(page, "bodies-th")
    _switch_language(page, "en")
    chair = page.locator("#body-operations-budget-subcommittee").get_by_role("row").filter(has_text="Chair")
    assert "วิไล ตรวจงบ" in chair.inner_text()
    assert page.get_by_role("heading", level=2, name="Operations and Budget-Screening Subcommittee").count() == 1
    assert axe_violations(page) == []
    screenshot(page, "bodies-en")


def test_the_workflows_page_shows_plan_approval_from_the_committee_to_the_cabinet(suite: Suite, page) -> None:  # type: ignore[no-untyped-def]
    _signed_in(page, suite, "operator")
    _open_oversight(page, "ขั้นตอนการพิจารณา")
    plan = page.locator("#workflow-plan-approval")
    assert plan.get_by_role("heading", level=2).inner_text() == "การพิจารณาให้ความเห็นชอบแผน"
    deciders = plan.locator("li.stage dd.stage-body").all_inner_texts()
    order = [deciders.index(b) for b in ("คณะกรรมการพัฒนารัฐบาลดิจิทัล", "สภาพัฒนาการเศรษฐกิจและสังคมแห่งชาติ", "คณะรัฐมนตรี")]
    assert order == sorted(order), deciders
    stages = plan.locator("li.stage h3").all_inner_texts()
    assert stages[0] == "การพิจารณาของคณะกรรมการ" and stages[-1] == "การพิจารณาของคณะรัฐมนตรี"
    committee = plan.locator("li.stage").first
    assert "30 วันนับจากเริ่มขั้นตอน" in committee.inner_text()
    options = committee.get_by_role("table", name="มติที่เลือกได้").locator("tbody tr").all_inner_texts()
    assert options[0].split("\t")[:2] == ["เสนอ", "การให้ความเห็นของ สศช."]
    cabinet = plan.locator("li.stage").last
    assert "เห็นชอบ (สิ้นสุด)" in cabinet.inner_text()
    screening = page.locator("#workflow-budget-screening")
    assert "คณะอนุกรรมการ" in screening.inner_text() and "กำหนดส่งคำขอของรอบ" in screening.inner_text()
    _thai_renders_as_glyphs(page)
    assert axe_violations(page) == []
    screenshot(page, "workflows-th")
    _switch_language(page, "en")
    stages = page.locator("#workflow-plan-approval li.stage dd.stage-body").all_inner_texts()
    assert stages[0] == "Digital Government Development Committee" and stages[-1] == "Cabinet"
    assert axe_violations(page) == []
    screenshot(page, "workflows-en")


def test_an_agency_person_gets_no_link_and_a_refusal_on_each_oversight_page(suite: Suite, page) -> None:  # type: ignore[no-untyped-def]
    _signed_in(page, suite, "mof-staff")
    nav = page.get_by_role("navigation", name="เมนูหลัก")
    assert nav.get_by_role("link", name="การกำกับดูแล").count() == 0
    assert nav.get_by_role("link", name="คณะและขั้นตอนการพิจารณา").count() == 0
    for path, detail in (
        ("/oversight/audit", "บันทึกการตรวจสอบเปิดให้ผู้ดูแลระบบและฝ่ายเลขานุการอ่านเท่านั้น"),
        ("/oversight/bodies", "หน้าคณะและขั้นตอนการพิจารณาเปิดให้ผู้ดูแลระบบ ฝ่ายเลขานุการ และสมาชิกของคณะอ่านเท่านั้น"),
        ("/oversight/workflows", "หน้าคณะและขั้นตอนการพิจารณาเปิดให้ผู้ดูแลระบบ ฝ่ายเลขานุการ และสมาชิกของคณะอ่านเท่านั้น"),
        ("/oversight/bodies/cabinet/members/demo-cabinet", "หน้าคณะและขั้นตอนการพิจารณาเปิดให้ผู้ดูแลระบบ ฝ่ายเลขานุการ และสมาชิกของคณะอ่านเท่านั้น"),
    ):
        answer = page.goto(suite.base_url + path)
        assert answer is not None and answer.status == 403, path
        alert = page.get_by_role("alert")
        assert alert.locator(".problem-title").inner_text() == "หน้านี้ไม่ใช่สำหรับบัญชีของท่าน (403)"
        assert alert.locator(".problem-detail").inner_text() == detail
        assert "Traceback" not in page.content()
    assert axe_violations(page) == []
