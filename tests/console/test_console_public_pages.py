"""The public pages in a real browser, as an anonymous visitor: the plan scorecard (the seed's
targets, strategies and figures, a chart and its table, fiscal years in the Buddhist Era); the
published results of an FY 2563 round the committee approved and the secretariat closed (made by
API with the demo clients: the seed has none); an open-data workbook and the plan's data package
downloaded and read. Every page axe-clean; screenshots in Thai and English."""

from __future__ import annotations

import csv
import io
import re
import time
import uuid
import zipfile
from datetime import UTC, datetime, timedelta

import httpx
import openpyxl
import pytest
from console.domain.formatting import BANGKOK, format_baht

from tests.console.conftest import Suite, axe_violations, screenshot
from tests.console.test_console_pages import _sign_in, _switch_language, _thai_renders_as_glyphs

pytestmark = pytest.mark.browser

ROUND_TITLE = "รอบกลั่นกรองงบประมาณ ปีงบประมาณ 2563 (เผยแพร่ผล)"
S1_TH = "ยกระดับคุณภาพการให้บริการแก่ประชาชนด้วยเทคโนโลยีดิจิทัล"
TARGETS_TH = {
    "T1": "ลดความเหลื่อมล้ำในการเข้าถึงบริการและสวัสดิการของประชาชน",
    "T3": "การทำงานของภาครัฐมีความโปร่งใส ตรวจสอบได้",
}


def _api(suite: Suite, client: str) -> httpx.Client:
    return httpx.Client(base_url=suite.base_url, timeout=30,
                        headers={"Authorization": f"Bearer {suite.client_token(client)}"})


def _key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


def _eventually(ask, what: str, seconds: float = 30):  # type: ignore[no-untyped-def]
    """The package and the committee's approval travel by event between services."""
    deadline = time.monotonic() + seconds
    while True:
        found = ask()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def published_round(suite: Suite) -> dict:
    """FY 2563 through the API, as cheaply as the workflow allows: MOF (S1-P3) and OPDC (S1-P2) ask,
    the subcommittee's chair recommends one reduced and one in full, hands the package on, two of
    the committee's three approve, the secretariat closes the round and publishes its results."""
    secretariat, chair = _api(suite, "demo-secretariat"), _api(suite, "demo-obs-chair")
    plan = secretariat.get("/api/v1/plans", params={"q": "DGDP-2563-2565"}).json()["items"][0]
    now = datetime.now(UTC)
    opened = secretariat.post("/api/v1/screening/rounds", headers=_key(), json={
        "plan_id": plan["id"], "fiscal_year": 2563, "ceiling": "50000000.00", "title": ROUND_TITLE,
        "submission_deadline": (now + timedelta(days=7)).isoformat(),
        "decision_deadline": (now + timedelta(days=14)).isoformat()})
    assert opened.status_code == 201, opened.text
    round_id = opened.json()["round_id"]
    meeting = {"title": "การประชุมคณะอนุกรรมการฯ ครั้งที่ 1/2563", "held_on": datetime.now(BANGKOK).date().isoformat()}
    for client, agency, code, amounts, decision in (
        ("demo-agency-mof", "MOF", "S1-P3", {"investment": "12000000.00"},
         {"decision": "recommend-reduced", "rank": 1, "recommended_amounts": {"investment": "9500000.00"}}),
        ("demo-agency-opdc", "OPDC", "S1-P2", {"operating": "8000000.00"}, {"decision": "recommend-full", "rank": 2}),
    ):
        api = _api(suite, client)
        projects = api.get("/api/v1/projects", params={"agency": agency, "role": "lead", "limit": 200}).json()["items"]
        project = next(p for p in projects if p["code"] == code)
        sent = api.post(f"/api/v1/screening/rounds/{round_id}/requests", headers=_key(),
                        json={"project_id": project["id"], "amounts": amounts, "justification": "ตามแผนพัฒนารัฐบาลดิจิทัล"})
        assert sent.status_code == 201, sent.text
        decided = chair.post(f"/api/v1/screening/requests/{sent.json()['request_id']}/decisions", headers=_key(),
                             json={**decision, "reason": "สอดคล้องกับยุทธศาสตร์ที่ 1", "meeting": meeting})
        assert decided.status_code == 201, decided.text
    assert chair.post(f"/api/v1/screening/rounds/{round_id}/package", headers=_key(), json={}).status_code == 201

    def at_committee():  # type: ignore[no-untyped-def]
        items = secretariat.get("/api/v1/governance/instances", params={"round_id": round_id}).json()["items"]
        return items[0] if items and items[0]["stage"] == "committee-approval" else None

    instance = _eventually(at_committee, "the package at the committee")
    for member in ("demo-dgc-chair", "demo-dgc-member-1"):
        vote = _api(suite, member).post(f"/api/v1/governance/instances/{instance['id']}/votes", headers=_key(),
                                        json={"choice": "approve", "reason": "เป็นไปตามกรอบวงเงิน"})
        assert vote.status_code == 201, vote.text
    _eventually(lambda: secretariat.get(f"/api/v1/screening/rounds/{round_id}").json()["status"] == "approved",
                "the ledger to post the approval")
    closed = secretariat.post(f"/api/v1/screening/rounds/{round_id}/close", headers=_key(), json={"publish_results": True})
    assert closed.status_code == 200, closed.text
    assert httpx.get(f"{suite.base_url}/api/v1/screening/rounds/{round_id}/results").status_code == 200  # public now
    return {"plan_id": plan["id"], "round_id": round_id}


def _workbook(download) -> openpyxl.Workbook:  # type: ignore[no-untyped-def]
    """Playwright keeps a download under a name without its extension, which openpyxl refuses."""
    return openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))


def _follow(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("ul.page-links").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


def test_an_anonymous_visitor_reads_the_plan_scorecard(suite: Suite, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(suite.base_url + "/")
    _follow(page, "ผลการดำเนินงานตามแผน")
    assert re.search(r"/plans/[^/]+/scorecard$", page.url)
    assert page.get_by_role("heading", level=1).inner_text() == "ผลการดำเนินงานตามแผน: ปีงบประมาณ พ.ศ. 2565"
    facts = page.locator("dl.facts")
    assert "พ.ศ. 2565 (1 ตุลาคม 2564 – 30 กันยายน 2565)" in facts.inner_text()
    assert "30 กันยายน 2565 (ไตรมาสที่ 4)" in facts.locator("[data-fact=as-of]").inner_text()
    # The seed's figures, and the live ones exactly as monitoring's public scorecard gives them (other
    # console tests may share this suite and report or allocate in the meantime).
    plan_id = re.search(r"/plans/([^/]+)/scorecard", page.url).group(1)  # type: ignore[union-attr]
    card = httpx.get(f"{suite.base_url}/api/v1/monitoring/plans/{plan_id}/scorecard",
                     params={"fiscal_year": 2565, "version": "approved"}).json()
    done = card["completeness"]
    assert facts.locator("[data-fact=projects]").inner_text() == (
        f"ลงทะเบียนแล้ว {done['registered_projects']} จาก 41 โครงการตามแผน รายงานผลแล้ว {done['reporting_projects']} โครงการ")
    assert facts.locator("[data-fact=framework]").inner_text() == "6,504.69 ล้านบาท"
    assert facts.locator("[data-fact=allocated]").inner_text() == format_baht(card["budget"]["allocated"], "th")

    # The chart: labels and figures beside the bars, the same figures in the table.
    chart = page.locator("figure.count-bars").first
    assert chart.locator(".funnel-row").count() == 5
    for status, count in card["by_status"].items():
        assert chart.locator(f".funnel-row[data-key={status}]").inner_text().split("\n")[-1].startswith(f"{count} โครงการ")
    assert "ไม่ได้รายงาน" in chart.locator(".funnel-row[data-key=not_reporting]").inner_text()
    projects = card["project_count"]
    assert projects > 0
    by_status = page.get_by_role("table", name="โครงการจำแนกตามสถานะ")
    assert by_status.locator("tfoot").inner_text().split() == ["รวม", str(projects)]
    strategies = page.get_by_role("table", name="ยุทธศาสตร์: สถานะ โครงการ และงบประมาณ")
    s1 = strategies.locator("tr[data-code=S1]").inner_text()
    assert S1_TH in s1 and "4,879.87 ล้านบาท" in s1 and re.search(r"\d+ / 17", s1)
    assert "160.00 ล้านบาท" in strategies.locator("tr[data-code=S4]").inner_text()
    s1_bar = page.locator("figure.count-bars").nth(1).locator(".funnel-row").first.inner_text()
    assert S1_TH in s1_bar and re.search(r"\d+ จาก 17 โครงการ · ร้อยละ \d+\.\d", s1_bar)
    targets = page.get_by_role("table", name="เป้าหมายของแผน: สถานะและโครงการที่ตอบเป้าหมาย")
    assert targets.locator("tbody tr").count() == 4
    for code, name in TARGETS_TH.items():
        assert name in targets.locator(f"tr[data-code={code}]").inner_text()
    _thai_renders_as_glyphs(page)
    assert axe_violations(page) == []
    screenshot(page, "public-scorecard-th")

    # Another fiscal year, chosen with the form (no JavaScript needed).
    page.get_by_label("ปีงบประมาณ (พ.ศ.)").select_option("2564")
    page.get_by_role("button", name="แสดง").click()
    page.wait_for_url(re.compile(r"fiscal_year=2564$"))
    assert page.get_by_role("heading", level=1).inner_text().endswith("พ.ศ. 2564")
    assert "30 กันยายน 2564" in page.locator("[data-fact=as-of]").inner_text()

    _switch_language(page, "en")
    assert page.get_by_role("heading", level=1).inner_text() == "Plan scorecard: Fiscal year B.E. 2564"
    assert page.locator("[data-fact=framework]").inner_text() == "6,504.69 million baht"
    assert "Raise the quality of public services" in page.locator("tr[data-code=S1]").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "public-scorecard-en")
    # The header's link opens the same plan's scorecard.
    page.get_by_role("navigation").get_by_role("link", name="Scorecard", exact=True).click()
    assert re.search(r"/plans/[^/]+/scorecard$", page.url)


def test_an_anonymous_visitor_reads_a_rounds_published_results(suite: Suite, page, published_round: dict) -> None:  # type: ignore[no-untyped-def]
    plan_id, round_id = published_round["plan_id"], published_round["round_id"]
    page.goto(suite.base_url + "/")
    _follow(page, "ผลการกลั่นกรองงบประมาณที่เผยแพร่")
    assert page.get_by_role("heading", level=1).inner_text() == "ผลการกลั่นกรองงบประมาณที่เผยแพร่"
    # The public list of rounds whose results are published names this one, signed in as nobody.
    listed = page.locator("table.rounds").get_by_role("link", name=ROUND_TITLE)
    assert listed.count() == 1 and listed.get_attribute("href").endswith(f"/results/{round_id}")
    year = page.locator(".year-allocations[data-fiscal-year='2563']")
    for _ in range(50):  # monitoring learns the allocations from the ledger's events
        if year.count():
            break
        time.sleep(0.3)
        page.reload()
    assert year.get_by_role("heading", level=3).inner_text() == "ปีงบประมาณ พ.ศ. 2563: 17.50 ล้านบาท"
    per_agency = year.get_by_role("table", name="งบประมาณที่จัดสรรรายหน่วยงาน ปีงบประมาณ พ.ศ. 2563")
    assert per_agency.locator("tbody tr").filter(has_text="กระทรวงการคลัง").inner_text().split("\t")[-1] == "9,500,000.00 บาท"
    assert "17,500,000.00 บาท" in per_agency.locator("tfoot").inner_text()
    assert "17,500,000.00 บาท" in year.get_by_role("table", name=re.compile("รายยุทธศาสตร์")).locator("tbody tr").first.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "public-results-th")

    # The round's own page, from the list: every request's approved amount.
    page.locator("table.rounds").get_by_role("link", name=ROUND_TITLE).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"ผลการกลั่นกรองงบประมาณ: {ROUND_TITLE}"
    facts = page.locator("dl.facts").inner_text()
    assert "พ.ศ. 2563" in facts and "ปิดรอบ" in facts and "เผยแพร่ผลแล้ว" in facts
    assert page.locator("[data-total=approved]").inner_text() == "17,500,000.00 บาท (17.50 ล้านบาท)"
    requests = page.locator("table.results-requests tbody tr")
    approved = {code: requests.filter(has_text=code).locator("td[data-approved]").inner_text() for code in ("S1-P3", "S1-P2")}
    assert approved == {"S1-P3": "9,500,000.00 บาท", "S1-P2": "8,000,000.00 บาท"}
    assert "เสนอปรับลดวงเงิน" in requests.filter(has_text="S1-P3").inner_text()
    agencies = page.get_by_role("table", name="วงเงินที่อนุมัติรายหน่วยงาน")
    assert agencies.locator("tbody tr").first.inner_text().split("\t") == [
        "กระทรวงการคลัง (MOF)", "1", "12,000,000.00 บาท", "9,500,000.00 บาท"]
    strategy_bar = page.locator("figure.funnel .funnel-row").first.inner_text()
    assert S1_TH in strategy_bar and "17.50 ล้านบาท" in strategy_bar
    _thai_renders_as_glyphs(page)
    assert axe_violations(page) == []
    screenshot(page, "public-round-results-th")
    _switch_language(page, "en")
    assert page.locator("[data-total=approved]").inner_text() == "THB 17,500,000.00 (17.50 million baht)"
    assert "Ministry of Finance (MOF)" in page.get_by_role("table", name="Approved per agency").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "public-round-results-en")

    # Signed in, the secretariat finds the round in the list (the ledger lists rounds to her).
    page.context.clear_cookies()
    _sign_in(page, suite, "secretariat")
    page.wait_for_url(re.compile(r"/inbox$"))
    page.goto(f"{suite.base_url}/plans/{plan_id}/results")
    page.locator("table.rounds").get_by_role("link", name=ROUND_TITLE).click()
    assert page.url.endswith(f"/results/{round_id}")


def test_an_anonymous_visitor_downloads_open_data_and_the_thai_is_intact(suite: Suite, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(suite.base_url + "/")
    page.get_by_role("navigation").get_by_role("link", name="ข้อมูลเปิด", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "ข้อมูลเปิด"
    datasets = page.get_by_role("table", name="ชุดข้อมูลของแผนที่ได้รับอนุมัติ")
    assert datasets.locator("tbody tr").count() == 9
    row = datasets.locator("tr[data-dataset=scorecard-xlsx]")
    assert row.locator("td").first.inner_text() == "XLSX"
    # What shows is the year; the dataset's name follows for screen readers only.
    assert [t.split("\n")[0] for t in row.locator("a").all_inner_texts()] == ["พ.ศ. 2563", "พ.ศ. 2564", "พ.ศ. 2565"]
    assert row.locator("a .visually-hidden").first.inner_text().strip() == "— ผลการดำเนินงานตามแผน (XLSX)"
    _thai_renders_as_glyphs(page)
    assert axe_violations(page) == []
    screenshot(page, "open-data-th")

    with page.expect_download() as download:
        page.get_by_role("link", name="พ.ศ. 2565 — ผลการดำเนินงานตามแผน (XLSX)").click()
    assert download.value.suggested_filename == "scorecard-2565.xlsx"
    workbook = _workbook(download.value)
    strategies = workbook["ยุทธศาสตร์"]
    header = [c.value for c in strategies[1]]
    assert header[:2] == ["รหัส", "ยุทธศาสตร์"]
    s1 = next(r for r in strategies.iter_rows(values_only=True) if r[0] == "S1")
    assert s1[1] == S1_TH and "กรอบวงเงิน (บาท)" in header

    with page.expect_download() as download:
        datasets.locator("tr[data-dataset=plan-package]").get_by_role("link").click()
    package = zipfile.ZipFile(download.value.path())
    assert "datapackage.json" in package.namelist()
    nodes = list(csv.DictReader(io.TextIOWrapper(package.open("nodes.csv"), encoding="utf-8")))
    assert next(n for n in nodes if n["code"] == "S1")["name_th"] == S1_TH

    # The budget beside it, as a Fiscal Data Package: the same strategy, its framework in baht.
    with page.expect_download() as download:
        datasets.locator("tr[data-dataset=budget-package]").get_by_role("link").click()
    budget = zipfile.ZipFile(download.value.path())
    assert "datapackage.json" in budget.namelist()
    frameworks = list(csv.DictReader(io.TextIOWrapper(budget.open("frameworks.csv"), encoding="utf-8")))
    s1_money = next(f for f in frameworks if f.get("strategy_code") == "S1")
    assert s1_money["strategy_name_th"] == S1_TH and s1_money["framework_baht"] == "4879870000.00"

    _switch_language(page, "en")
    assert page.get_by_role("heading", level=1).inner_text() == "Open data"
    with page.expect_download() as download:
        page.get_by_role("link", name="B.E. 2564 — Plan scorecard (workbook)").click()
    english = _workbook(download.value)
    assert english["Strategies"]["B1"].value == "Strategy"  # headers in the page's language
    assert axe_violations(page) == []
    screenshot(page, "open-data-en")

    # A dataset or year that is not offered is a problem page, not a crash.
    page.goto(suite.base_url + "/open-data/x/scorecard-xlsx?fiscal_year=2565")
    assert page.get_by_role("alert").count() == 1 and "Traceback" not in page.content()
