"""The console in a real browser: the public plan page, signing in by typing and clicking (and a
wrong password refused), signing out, and an API refusal shown as its problem; every page
axe-clean; screenshots in Thai and English. (A committee member's vote is walked with the whole
approval path in test_console_approval_path.py.)"""

from __future__ import annotations

import re

import httpx
import pytest

from tests.console.conftest import Suite, axe_violations, screenshot

pytestmark = pytest.mark.browser

STRATEGY_BUDGETS_TH = ("4,879.87 ล้านบาท", "518.46 ล้านบาท", "946.36 ล้านบาท", "160.00 ล้านบาท")


def _switch_language(page, to: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="English" if to == "en" else "ภาษาไทย").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == to


def _thai_renders_as_glyphs(page) -> None:  # type: ignore[no-untyped-def]
    """The page's own Thai webfont is loaded and used (no tofu boxes even without system fonts)."""
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px Sarabun', 'วิสัยทัศน์')")
    assert page.evaluate(
        "[...document.fonts].some(f => f.family.includes('Sarabun') && f.status === 'loaded')"
    )


def test_the_public_plan_page_shows_the_four_strategies_and_the_total(suite: Suite, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(suite.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.get_by_role("heading", level=1).inner_text().startswith("แผนพัฒนารัฐบาลดิจิทัลของประเทศไทย")
    assert "6,504.69 ล้านบาท" in page.locator(".total").inner_text()
    assert page.locator("article.strategy").count() == 4
    figures = page.get_by_role("table", name="กรอบงบประมาณรายยุทธศาสตร์")
    for amount in STRATEGY_BUDGETS_TH:
        assert figures.get_by_text(amount).count() == 1
    chart = page.get_by_role("img", name="งบประมาณรายยุทธศาสตร์")
    assert chart.locator("rect").count() == 4
    assert "4,879.87 ล้านบาท" in chart.locator("desc").text_content()
    assert page.get_by_text("รัฐบาลดิจิทัล เปิดเผย เชื่อมโยง").count() == 1  # the vision
    _thai_renders_as_glyphs(page)
    assert axe_violations(page) == []
    screenshot(page, "plan-th")

    # Search, typed and submitted with the keyboard.
    page.get_by_label("ค้นหาในแผน").fill("แพลตฟอร์ม")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?q="))
    results = page.locator(".results li")
    assert results.count() >= 3 and all("แพลตฟอร์ม" in t for t in results.all_inner_texts())
    assert axe_violations(page) == []

    _switch_language(page, "en")
    assert "6,504.69 million baht" in page.locator(".total").inner_text()
    assert page.get_by_role("heading", name="Budget by strategy").count() == 1
    page.get_by_label("Search the plan").fill("farmers")
    page.get_by_role("button", name="Search").click()
    assert page.locator(".results li").all_inner_texts() == ["S1-P4 A farmers' database system (Project)"]
    page.goto(suite.base_url + "/")
    assert axe_violations(page) == []
    screenshot(page, "plan-en")


def _sign_in(page, suite: Suite, username: str, password: str | None = None) -> None:  # type: ignore[no-untyped-def]
    page.goto(suite.base_url + "/")
    page.get_by_role("link", name="เข้าสู่ระบบ").click()
    page.wait_for_url(re.compile(r"/oauth2/authorize"))
    page.get_by_label("ชื่อผู้ใช้").type(username)
    page.get_by_label("รหัสผ่าน").type(password or suite.people[username])
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_a_wrong_password_is_refused_on_the_login_page(suite: Suite, page) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, suite, "dgc-member-2", "not-the-password")
    assert page.get_by_role("alert").inner_text().endswith("Wrong username or password.")
    assert "/oauth2/authorize" in page.url
    assert axe_violations(page) == []


def test_a_member_signs_in_by_typing_and_signing_out_ends_the_session(suite: Suite, page) -> None:  # type: ignore[no-untyped-def]
    """The vote itself is walked with the whole approval path (test_console_approval_path.py)."""
    _sign_in(page, suite, "dgc-member-2")
    page.wait_for_url(re.compile(r"/inbox$"))
    assert page.get_by_role("heading", level=1).inner_text() == "เรื่องรอพิจารณา"
    assert "สมหญิง ตั้งใจ" in page.locator(".who").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.wait_for_url(suite.base_url + "/")
    assert page.get_by_role("link", name="เข้าสู่ระบบ").count() == 1
    page.goto(suite.base_url + "/inbox")
    assert "/oauth2/authorize" in page.url


def test_an_api_refusal_is_shown_as_its_problem_title_and_detail(suite: Suite, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(suite.base_url + "/plans/no-such-plan")
    alert = page.get_by_role("alert")
    problem = httpx.get(f"{suite.base_url}/api/v1/plans/no-such-plan").json()
    assert problem["title"] in alert.inner_text()
    assert problem.get("detail", "") in alert.inner_text()
    assert "Traceback" not in page.content()
    assert axe_violations(page) == []
