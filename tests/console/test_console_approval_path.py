"""The seed's approval path in a real browser, only by clicking and typing, each person in their own
browser: the secretariat drafts version 2, edits a node (and meets a 412 when the node changed in
another tab), checks completeness and the redline, submits; the committee votes (the tally names
the voters); a subcommittee member gets no control to vote for the committee; NESDC endorses with
two observations; the secretariat answers both and submits the revision; the Cabinet approves; the
public plan page shows the revision in force with the edited node.

The plan-approval engine (DESIGN.md §3) resumes a plan NESDC endorsed with observations only when
the secretariat resubmits a revised version, so the version the Cabinet approves is version 3,
copied from version 2 and carrying its edit."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.console.conftest import Suite, axe_violations, screenshot
from tests.console.test_console_pages import _sign_in, _switch_language, _thai_renders_as_glyphs

pytestmark = pytest.mark.browser

NEW_NAME_TH = "การปรับปรุงกฎหมายเพื่อเพิ่มการมีส่วนร่วมของประชาชนในการตัดสินใจเชิงนโยบาย"
NEW_NAME_EN = "Amending laws to widen citizens' part in policy decisions"
OBSERVATIONS_TH = ("ควรกำหนดตัวชี้วัดการมีส่วนร่วมของประชาชนให้ชัดเจน", "ควรระบุหน่วยงานสนับสนุนด้านกฎหมาย")
OBSERVATIONS_EN = ("Set clear indicators of citizens' participation", "Name the agencies supporting the legal work")
ANSWERS_TH = ("เพิ่มตัวชี้วัดการมีส่วนร่วมในแผนติดตามผลแล้ว", "เพิ่ม สศด. เป็นหน่วยงานสนับสนุนแล้ว")
ANSWERS_EN = ("Participation indicators are added to the monitoring plan", "DEPA is added as a supporting agency")


@contextmanager
def _person(chromium_browser, suite: Suite, username: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """One person's own browser (cookies, language), signed in by typing, on their inbox."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        _sign_in(page, suite, username)
        page.wait_for_url(re.compile(r"/inbox$"))
        yield page
    finally:
        context.close()


def _reload_until(page, check, seconds: float = 15) -> None:  # type: ignore[no-untyped-def]
    """What another service records after an event (the registry's observations) appears on a reload."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not shown within {seconds} s on {page.url}")
        time.sleep(0.3)
        page.reload()


def _open_inbox_row(page, text: str):  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="เรื่องรอพิจารณา").first.click()
    row = page.locator("table.inbox tbody tr").filter(has_text=text)
    assert row.count() == 1, page.locator("main").inner_text()
    return row


def _secretariat_drafts_edits_and_submits_version_two(chromium_browser, suite: Suite) -> None:  # type: ignore[no-untyped-def]
    with _person(chromium_browser, suite, "secretariat") as page:
        page.get_by_role("navigation").get_by_role("link", name="งานจัดทำแผน").click()
        assert page.get_by_role("heading", level=1).inner_text() == "งานจัดทำแผน"
        versions = page.get_by_role("table", name="ฉบับต่าง ๆ ของแผน")
        assert "มีผลใช้บังคับ (ได้รับความเห็นชอบ)" in versions.locator("tbody tr").filter(has_text="ฉบับที่ 1").inner_text()
        assert axe_violations(page) == []  # the plan work page
        page.get_by_role("button", name="ยกร่างฉบับใหม่").click()
        page.wait_for_url(re.compile(r"/versions/[0-9a-f-]+\?drafted=1$"))
        draft_url = page.url.split("?")[0]
        assert page.get_by_role("status").inner_text().startswith("ยกร่างฉบับที่ 2 แล้ว")
        assert page.locator(".version-status").inner_text() == "ฉบับร่าง"

        # Completeness against the plan's declared counts (15 measures, 20 work plans, 41 projects).
        counts = page.get_by_role("table", name="จำนวนที่กำหนดและที่ลงทะเบียนของฉบับที่ 2")
        assert counts.get_by_role("row", name=re.compile("^มาตรการ")).inner_text().split() == ["มาตรการ", "15", "8", "7"]
        assert counts.get_by_role("row", name=re.compile("^โครงการ")).inner_text().split() == ["โครงการ", "41", "10", "31"]
        assert "ยังไม่ครบ" in page.locator(".completeness-verdict").inner_text()
        _thai_renders_as_glyphs(page)
        assert axe_violations(page) == []
        screenshot(page, "secretariat-draft-th")
        _switch_language(page, "en")
        assert page.locator(".version-status").inner_text() == "Draft"
        assert "Incomplete" in page.locator(".completeness-verdict").inner_text()
        assert axe_violations(page) == []
        screenshot(page, "secretariat-draft-en")
        _switch_language(page, "th")

        # The node's form, opened in two tabs: the second tab's save makes the first one's stale.
        page.get_by_role("link", name="แก้ไข S4-P2").click()
        assert page.get_by_role("heading", level=1).inner_text() == "แก้ไข โครงการ S4-P2"
        node_url = page.url
        other = page.context.new_page()
        other.goto(node_url)
        other.get_by_label("ชื่อภาษาอังกฤษ").fill(NEW_NAME_EN)
        other.get_by_role("button", name="บันทึกการแก้ไข").click()
        assert other.get_by_role("status").inner_text() == "บันทึกการแก้ไขในฉบับที่ 2 แล้ว"
        other.close()

        page.get_by_label("ชื่อภาษาไทย").fill(NEW_NAME_TH)
        page.get_by_label("กรอบงบประมาณ (บาท เว้นว่างหากไม่มี)").fill("1,500,000")
        page.get_by_role("button", name="บันทึกการแก้ไข").click()
        alert = page.get_by_role("alert")
        assert "Precondition failed (412)" in alert.inner_text() and "changed since you read it" in alert.inner_text()
        assert page.get_by_label("ชื่อภาษาไทย").input_value() == NEW_NAME_TH  # what was typed is kept
        assert page.get_by_label("ชื่อภาษาอังกฤษ").input_value() == NEW_NAME_EN  # the node as it is now
        assert axe_violations(page) == []
        page.get_by_role("button", name="บันทึกการแก้ไข").click()  # now with the ETag of the node shown
        assert page.get_by_role("status").inner_text() == "บันทึกการแก้ไขในฉบับที่ 2 แล้ว"
        assert page.get_by_label("กรอบงบประมาณ (บาท เว้นว่างหากไม่มี)").input_value() == "1,500,000.00"

        page.get_by_label("หน่วยงาน", exact=True).select_option("DEPA")
        page.get_by_label("บทบาท", exact=True).select_option("supporting")
        page.get_by_role("button", name="เพิ่มบทบาท").click()
        assert page.get_by_role("status").inner_text() == "เพิ่มบทบาทหน่วยงานแล้ว"
        assert page.get_by_text("นำออก DEPA (หน่วยงานสนับสนุน)").count() == 1
        assert axe_violations(page) == []
        screenshot(page, "secretariat-node-th")

        # The redline against version 1, readable in Thai.
        page.goto(draft_url)
        assert NEW_NAME_TH in page.locator("article.strategy").filter(has_text="S4-P2").inner_text()
        page.get_by_role("link", name="ส่วนที่แก้ไขเทียบกับฉบับที่คัดลอกมา").click()
        assert page.get_by_role("heading", level=1).inner_text() == "เปรียบเทียบฉบับ"
        assert page.locator(".redline-summary").inner_text() == "เพิ่ม 0 รายการ ลบ 0 รายการ แก้ไข 1 รายการ"
        table = page.get_by_role("table", name="สิ่งที่เปลี่ยนจากฉบับที่ 1 เป็นฉบับที่ 2")
        lines = {r.locator("td").first.inner_text(): r.locator("td").all_inner_texts()[1:]
                 for r in table.locator("tbody tr").all()}
        assert lines["ชื่อ (ภาษาไทย)"][1] == NEW_NAME_TH and "การปรับปรุงหรือแก้ไขกฎหมาย" in lines["ชื่อ (ภาษาไทย)"][0]
        assert lines["ชื่อ (ภาษาอังกฤษ)"] == [
            "Amending laws, rules and regulations to increase participation in policy decisions", NEW_NAME_EN]
        assert lines["กรอบงบประมาณ"] == ["(ไม่มี)", "1,500,000.00 บาท"]
        assert lines["บทบาทหน่วยงาน"] == [
            "ONDE (หน่วยงานหลัก), DGA (หน่วยงานสนับสนุน)",
            "ONDE (หน่วยงานหลัก), DEPA (หน่วยงานสนับสนุน), DGA (หน่วยงานสนับสนุน)"]
        assert table.locator("tbody th").first.inner_text().startswith("S4-P2 " + NEW_NAME_TH)
        assert axe_violations(page) == []
        screenshot(page, "secretariat-diff-th")
        _switch_language(page, "en")
        assert page.locator(".redline-summary").inner_text() == "0 added, 0 removed, 1 changed"
        english = page.get_by_role("table", name="What changed from version 1 to version 2").inner_text()
        assert "Budget framework" in english and "THB 1,500,000.00" in english and "DEPA (supporting agency)" in english
        assert axe_violations(page) == []
        screenshot(page, "secretariat-diff-en")
        _switch_language(page, "th")

        page.goto(draft_url)
        page.get_by_role("button", name="เสนอฉบับที่ 2 ขอความเห็นชอบ").click()
        assert page.get_by_role("status").inner_text() == "เสนอฉบับที่ 2 ขอความเห็นชอบแล้ว แก้ไขไม่ได้อีก"
        assert page.locator(".version-status").inner_text() == "เสนอขอความเห็นชอบแล้ว"
        assert page.get_by_role("link", name=re.compile("^แก้ไข")).count() == 0  # frozen: no edit controls


def _committee_votes(chromium_browser, suite: Suite) -> str:  # type: ignore[no-untyped-def]
    """Two members vote two ways (the tally names them), a subcommittee member is refused, the chair
    decides; the stage moves to NESDC. Returns the decision page's address."""
    with _person(chromium_browser, suite, "dgc-member-1") as page:
        row = _open_inbox_row(page, "ฉบับที่ 2")
        assert "คณะกรรมการพัฒนารัฐบาลดิจิทัล" in row.inner_text()
        assert re.search(r"\d{1,2} (มกราคม|กุมภาพันธ์|ธันวาคม|พฤศจิกายน) 25\d\d", row.inner_text())
        assert "เหลืออีก" in row.inner_text() and row.locator(".overdue-mark").count() == 0
        assert axe_violations(page) == []
        screenshot(page, "inbox-th")
        row.get_by_role("link").first.click()
        page.wait_for_url(re.compile(r"/inbox/[0-9a-f-]+$"))
        decision_url = page.url
        tally = page.locator("section.tally")
        assert "ลงมติแล้ว 0 จาก 3 คน องค์ประชุมคือ 2 คน" in tally.inner_text()
        diff = page.locator("section.decision-diff")
        assert "แก้ไข 1 รายการ" in diff.inner_text() and NEW_NAME_TH in diff.inner_text()
        assert "1,500,000.00 บาท" in diff.inner_text()
        assert "ยังไม่มีข้อสังเกตต่อฉบับนี้" in page.locator("section.decision-observations").inner_text()
        assert axe_violations(page) == []
        screenshot(page, "decision-th")
        _switch_language(page, "en")
        assert "0 of 3 members have voted; the quorum is 2." in page.locator("section.tally").inner_text()
        assert "Name (English)" in page.locator("section.decision-diff").inner_text()
        assert axe_violations(page) == []
        screenshot(page, "decision-en")
        _switch_language(page, "th")

        # Without a reason the form itself stops the vote (required): nothing is sent.
        page.get_by_label("เสนอ").check()
        page.get_by_role("button", name="ลงมติ").click()
        assert page.locator("form.vote").count() == 1 and "ลงมติแล้ว 0 จาก 3" in tally.inner_text()
        page.get_by_label("เหตุผล").type("ร่างฉบับที่ 2 ปรับชื่อและกรอบงบประมาณโครงการ S4-P2 ตามที่คณะกรรมการกำหนด")
        page.get_by_role("button", name="ลงมติ").click()
        page.wait_for_url(re.compile(r"\?voted=1$"))
        assert page.get_by_role("status").inner_text() == "บันทึกมติของท่านแล้ว: เสนอ"
        assert "ลงมติแล้ว 1 จาก 3 คน องค์ประชุมคือ 2 คน" in tally.inner_text() and "ยังไม่ครบองค์ประชุม" in tally.inner_text()
        assert page.locator(".votes .voter").all_inner_texts() == ["สมชาย ใจดี"]  # a name, not demo-dgc-member-1
        assert "demo-dgc-member-1" not in tally.inner_text()
        assert page.locator("form.vote").count() == 0  # one vote per member
        screenshot(page, "voted-th")
        _switch_language(page, "en")
        assert page.get_by_role("status").inner_text() == "Your vote has been recorded: Propose"
        page.get_by_role("link", name="My inbox").first.click()
        assert "You have voted" in page.locator("table.inbox tbody tr").filter(has_text="version 2").inner_text()
        assert axe_violations(page) == []
        screenshot(page, "inbox-en")

    with _person(chromium_browser, suite, "dgc-member-2") as page:
        _open_inbox_row(page, "ฉบับที่ 2").get_by_role("link").first.click()
        page.get_by_label("ส่งกลับ").check()
        page.get_by_label("เหตุผล").type("ควรรอผลการรับฟังความคิดเห็นก่อน")
        page.get_by_role("button", name="ลงมติ").click()
        page.wait_for_url(re.compile(r"\?voted=1$"))
        tally = page.locator("section.tally")
        assert "ลงมติแล้ว 2 จาก 3 คน" in tally.inner_text() and "ครบองค์ประชุมแล้ว" in tally.inner_text()
        assert page.locator(".votes .voter").all_inner_texts() == ["สมชาย ใจดี", "สมหญิง ตั้งใจ"]
        counts = {r.locator("th").inner_text(): r.locator("td").inner_text()
                  for r in tally.get_by_role("table").locator("tbody tr").all()}
        assert counts == {"เสนอ": "1", "ส่งกลับ": "1", "ไม่เห็นชอบ": "0"}

    # A subcommittee member: nothing in the inbox, no form on the page, a forged vote refused.
    with _person(chromium_browser, suite, "obs-member-1") as page:
        assert page.locator("table.inbox tbody tr").filter(has_text="ฉบับที่ 2").count() == 0
        page.goto(decision_url)
        assert page.locator("form.vote").count() == 0 and page.get_by_role("button", name="ลงมติ").count() == 0
        assert "ขั้นตอนนี้ไม่ได้รอการพิจารณาของคณะที่ท่านเป็นสมาชิก" in page.locator("main").inner_text()
        csrf = page.locator("form[action='/auth/signout'] input[name=csrf]").get_attribute("value")
        forged = page.request.post(decision_url + "/vote", form={
            "csrf": csrf, "mode": "vote", "stage": "committee", "choice": "propose", "reason": "forged",
            "idempotency_key": "forged-by-obs-member-1"})
        assert forged.status == 403 and "Not allowed" in forged.text() and "digital-government-committee" in forged.text()
        page.reload()
        assert "ลงมติแล้ว 2 จาก 3 คน" in page.locator("section.tally").inner_text()

    with _person(chromium_browser, suite, "dgc-chair") as page:
        _open_inbox_row(page, "ฉบับที่ 2").get_by_role("link").first.click()
        assert page.locator(".votes .voter").all_inner_texts() == ["สมชาย ใจดี", "สมหญิง ตั้งใจ"]
        page.get_by_label("เสนอ").check()
        page.get_by_label("เหตุผล").type("เสียงข้างมากเห็นควรเสนอ สศช.")
        page.get_by_role("button", name="ลงมติ").click()
        page.wait_for_url(re.compile(r"\?voted=1$"))
        # Decided 2 to 1: the stage is now NESDC's, and the committee has nothing more to do here.
        assert page.locator("dl.facts").get_by_text("การให้ความเห็นของ สศช.").count() == 1
        assert page.locator("form.vote").count() == 0
        # The committee's votes are gone from the stage (it moved on) but stay in the record, by name.
        record = page.locator("section.stage-record")
        assert {"สมชาย ใจดี", "สมหญิง ตั้งใจ", "ประเสริฐ นำทาง"} <= set(record.locator(".record-actor").all_inner_texts())
        assert "ควรรอผลการรับฟังความคิดเห็นก่อน" in record.inner_text()
        assert "demo-dgc" not in record.inner_text()
        page.get_by_role("link", name="เรื่องรอพิจารณา").first.click()
        assert page.locator("table.inbox tbody tr").filter(has_text="ฉบับที่ 2").count() == 0
    return decision_url


def _nesdc_endorses_with_two_observations(chromium_browser, suite: Suite) -> None:  # type: ignore[no-untyped-def]
    with _person(chromium_browser, suite, "nesdc") as page:
        row = _open_inbox_row(page, "ฉบับที่ 2")
        assert "สภาพัฒนาการเศรษฐกิจและสังคมแห่งชาติ" in row.inner_text()
        row.get_by_role("link").first.click()
        assert "แก้ไข 1 รายการ" in page.locator("section.decision-diff").inner_text()
        # NESDC decides as one body: no "0 of 1 members have voted" tally.
        assert "คณะนี้ตัดสินเป็นมติของคณะ" in page.locator("section.tally").inner_text()
        assert "จาก 1 คน" not in page.locator("main").inner_text()
        page.get_by_label("ให้ความเห็นชอบพร้อมข้อสังเกต").check()
        page.get_by_label("เหตุผล").type("มติที่ประชุม สศช. ครั้งที่ 12/2569")
        page.get_by_label("ข้อสังเกตภาษาไทย").type("\n".join(OBSERVATIONS_TH))
        page.get_by_label("ข้อสังเกตเดียวกันเป็นภาษาอังกฤษ").type("\n".join(OBSERVATIONS_EN))
        page.get_by_role("button", name="บันทึกมติ").click()
        page.wait_for_url(re.compile(r"\?voted=1$"))
        assert page.locator("dl.facts").get_by_text("ปรับปรุงแก้ไข").count() == 1  # the secretariat's revision
        observations = page.locator("section.decision-observations")
        _reload_until(page, lambda: observations.locator("li.observation").count() == 2)
        assert [t.split("\n")[0] for t in observations.locator("li.observation").all_inner_texts()] == list(OBSERVATIONS_TH)
        assert observations.locator(".observation-status").all_inner_texts() == ["ยังไม่ได้ตอบ", "ยังไม่ได้ตอบ"]
        assert axe_violations(page) == []


def _secretariat_answers_both_and_submits_the_revision(chromium_browser, suite: Suite) -> None:  # type: ignore[no-untyped-def]
    with _person(chromium_browser, suite, "secretariat") as page:
        row = _open_inbox_row(page, "ฉบับที่ 2")
        assert "ปรับปรุงแก้ไข" in row.inner_text()
        row.get_by_role("link").first.click()
        page.locator("section.who-decides").get_by_role("link", name="ข้อสังเกตและคำตอบ").click()
        assert page.get_by_role("heading", level=1).inner_text() == "ข้อสังเกตและคำตอบ"
        assert page.get_by_role("heading", level=2).first.inner_text() == "ฉบับที่ 2 — อยู่ระหว่างการพิจารณา"
        assert axe_violations(page) == []
        screenshot(page, "secretariat-observations-th")
        for said, th, en in zip(OBSERVATIONS_TH, ANSWERS_TH, ANSWERS_EN):
            item = page.locator("li.observation").filter(has_text=said)
            assert "สศช. ตั้งข้อสังเกตเมื่อ" in item.inner_text() and "ยังไม่ได้ตอบ" in item.inner_text()
            item.get_by_label("คำตอบภาษาไทย").type(th)
            item.get_by_label("คำตอบเดียวกันเป็นภาษาอังกฤษ").type(en)
            item.get_by_role("button", name="ตอบข้อสังเกต").click()
            assert page.get_by_role("status").inner_text() == "บันทึกคำตอบของท่านแล้ว"
            answered = page.locator("li.observation").filter(has_text=said)
            assert answered.locator(".observation-status").inner_text() == "ตอบแล้ว"
            assert answered.locator(".answer").inner_text().startswith("คำตอบ: " + th)
        assert axe_violations(page) == []
        _switch_language(page, "en")
        assert page.locator("li.observation").first.locator(".answer").inner_text().startswith("Answer: " + ANSWERS_EN[0])
        screenshot(page, "secretariat-observations-en")
        _switch_language(page, "th")

        # The revision: a new draft copied from version 2 (the newest), submitted unchanged.
        page.get_by_role("navigation").get_by_role("link", name="งานจัดทำแผน").click()
        assert page.get_by_label("คัดลอกฉบับร่างใหม่จาก").locator("option:checked").inner_text().startswith("ฉบับที่ 2")
        page.get_by_role("button", name="ยกร่างฉบับใหม่").click()
        assert page.get_by_role("status").inner_text().startswith("ยกร่างฉบับที่ 3 แล้ว")
        assert NEW_NAME_TH in page.locator("article.strategy").filter(has_text="S4-P2").inner_text()
        page.get_by_role("button", name="เสนอฉบับที่ 3 ขอความเห็นชอบ").click()
        assert page.get_by_role("status").inner_text() == "เสนอฉบับที่ 3 ขอความเห็นชอบแล้ว แก้ไขไม่ได้อีก"


def _cabinet_approves(chromium_browser, suite: Suite) -> None:  # type: ignore[no-untyped-def]
    with _person(chromium_browser, suite, "cabinet") as page:
        page.get_by_role("link", name="เรื่องรอพิจารณา").first.click()
        _reload_until(page, lambda: page.locator("table.inbox tbody tr").filter(has_text="ฉบับที่ 3").count() == 1)
        row = page.locator("table.inbox tbody tr").filter(has_text="ฉบับที่ 3")
        assert "คณะรัฐมนตรี" in row.inner_text()
        row.get_by_role("link").first.click()
        # The revision changes nothing of version 2; the observations it answers are shown with their answers.
        assert "ทั้งสองฉบับเหมือนกัน" in page.locator("section.decision-diff").inner_text()
        observations = page.locator("section.decision-observations")
        assert observations.get_by_role("heading", name="ต่อฉบับที่ 2").count() == 1
        assert observations.locator(".observation-status").all_inner_texts() == ["ตอบแล้ว", "ตอบแล้ว"]
        assert [a.removeprefix("คำตอบ: ") for a in observations.locator(".answer").all_inner_texts()] == list(ANSWERS_TH)
        assert axe_violations(page) == []
        screenshot(page, "decision-cabinet-th")
        page.get_by_label("อนุมัติในหลักการ").check()
        page.get_by_label("เหตุผล").type("มติคณะรัฐมนตรีเห็นชอบในหลักการ")
        page.get_by_role("button", name="บันทึกมติ").click()
        page.wait_for_url(re.compile(r"\?voted=1$"))
        assert page.locator("dl.facts .stage").inner_text() == "เสร็จสิ้น — ผล: ได้รับความเห็นชอบ"
        record = page.locator("section.stage-record").inner_text()
        for said in ("มติที่ประชุม สศช. ครั้งที่ 12/2569", "มติคณะรัฐมนตรีเห็นชอบในหลักการ", "เสียงข้างมากเห็นควรเสนอ สศช."):
            assert said in record, record
        assert axe_violations(page) == []
        screenshot(page, "decision-approved-th")


def test_the_seeds_approval_path_by_clicking_and_typing(chromium_browser, suite: Suite, page) -> None:  # type: ignore[no-untyped-def]
    _secretariat_drafts_edits_and_submits_version_two(chromium_browser, suite)
    _committee_votes(chromium_browser, suite)
    _nesdc_endorses_with_two_observations(chromium_browser, suite)
    _secretariat_answers_both_and_submits_the_revision(chromium_browser, suite)
    _cabinet_approves(chromium_browser, suite)

    # The public, signed in as nobody: the revision is in force with the edited project.
    page.goto(suite.base_url + "/")
    _reload_until(page, lambda: page.locator("p.meta").first.inner_text().startswith("ฉบับที่ 3"))
    assert re.search(r"ฉบับที่ 3 · ได้รับความเห็นชอบเมื่อ \d{1,2} \S+ 25\d\d", page.locator("p.meta").first.inner_text())
    assert NEW_NAME_TH in page.locator("article.strategy").filter(has_text="S4-P2").inner_text()
    assert "6,504.69 ล้านบาท" in page.locator(".total").inner_text()  # the strategies' frameworks are untouched


def test_the_secretariats_pages_refuse_others_and_offer_them_no_control(chromium_browser, suite: Suite) -> None:  # type: ignore[no-untyped-def]
    with _person(chromium_browser, suite, "dgc-member-1") as page:
        assert page.get_by_role("link", name="งานจัดทำแผน").count() == 0
        page.goto(suite.base_url + "/secretariat")
        alert = page.get_by_role("alert")
        assert "สำหรับฝ่ายเลขานุการเท่านั้น (403)" in alert.inner_text() and "ไม่มีบทบาทฝ่ายเลขานุการ" in alert.inner_text()
        assert page.get_by_role("button", name="ยกร่างฉบับใหม่").count() == 0
        assert "Traceback" not in page.content()
        assert axe_violations(page) == []
