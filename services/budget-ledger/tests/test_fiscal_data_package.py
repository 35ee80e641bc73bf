"""Issue 17: the budget as a Fiscal Data Package. Its figures are the ledger's own (exact
Decimal), Thai names come out as the ledger holds them, the public gets only published money, and
``frictionless`` finds the package valid (and reports what the package declares when it is not)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate
from sqlalchemy import select

from budget_ledger.adapters.tables import projects, strategies
from budget_ledger.events.types import PROJECT_REGISTERED
from dgplan_contracts.identity import PUBLIC
from dgplan_shared.text import normalize_text

FDP = "/api/v1/budget/open-data/fiscal-data-package"
S = "/api/v1/screening"
MONEY = re.compile(r"^[0-9]+\.[0-9]{2}$")
STAGES = ("requested", "recommended", "approved", "allocated", "committed", "disbursed")
# Typed as some keyboards and PDF copies type it: SARA AM as NIKHAHIT + SARA AA, a zero-width space.
THAI_AS_TYPED = "โครงการพัฒนาระบบบริการภาครัฐแบบดิจิทัล (ระยะที่ ๒) นํ\u0e32\u200bร่อง"


def _package(response) -> tuple[dict[str, Any], dict[str, list[dict[str, str]]]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    descriptor = json.loads(archive.read("datapackage.json").decode("utf-8"))
    tables = {
        r["name"]: list(csv.DictReader(io.StringIO(archive.read(r["path"]).decode("utf-8"), newline="")))
        for r in descriptor["resources"]
    }
    return descriptor, tables


async def _download(client, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return await client.get(FDP, params={"plan_id": "plan-dgdp"}, headers=headers or {})


def _extract(response, directory: Path) -> Path:  # type: ignore[no-untyped-def]
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(directory)
    return directory / "datapackage.json"


def _errors(report: Any) -> list[str]:
    return [e["type"] for task in report.to_descriptor()["tasks"] for e in task["errors"]]


async def test_the_packages_figures_are_the_ledgers_own_to_the_satang(client, who, budget):
    await budget.close(2565)
    descriptor, tables = _package(await _download(client, who.secretariat()))
    assert descriptor["dgplan"]["audience"] == "oversight" and descriptor["dgplan"]["stages"] == list(STAGES)

    # frameworks: the reconciliation report's plan total and strategies, exactly
    reconciliation = (await client.get("/api/v1/budget/frameworks/plan-dgdp/reconciliation")).json()
    by_id = {row["framework_id"]: row for row in tables["frameworks"]}
    assert Decimal(by_id["plan-dgdp"]["framework_baht"]) == Decimal(reconciliation["plan_total"]) == Decimal("6504690000.00")
    assert {s["strategy_id"]: Decimal(s["framework"]) for s in reconciliation["strategies"]} == {
        k: Decimal(v["framework_baht"]) for k, v in by_id.items() if v["level"] == "strategy"}
    assert descriptor["dgplan"]["plan_framework_baht"] == "6504690000.00" and descriptor["dgplan"]["frameworks_balanced"]

    # budget lines: the balances report per (fiscal year, project, category), every stage
    balances = (await client.get("/api/v1/budget/balances", headers=who.secretariat(), params={
        "plan_id": "plan-dgdp", "group_by": "fiscal_year,project,expense_category", "limit": 1000})).json()["items"]
    expected = {(b["fiscal_year"], b["project"], b["expense_category"]): {s: Decimal(b["balances"][s]) for s in STAGES}
                for b in balances}
    got = {(int(r["fiscal_year"]), r["project_id"], r["expense_category"]): {s: Decimal(r[f"{s}_baht"]) for s in STAGES}
           for r in tables["budget_lines"]}
    assert got == expected
    assert got[(2565, "p-mof", "investment")] == {
        "requested": Decimal("20000000.00"), "recommended": Decimal("20000000.00"), "approved": Decimal("20000000.00"),
        "allocated": Decimal("20000000.00"), "committed": Decimal("15000000.00"), "disbursed": Decimal("7250000.75")}
    assert got[(2565, "p-mof", "operating")]["approved"] == Decimal("5000000.25")
    assert got[(2564, "p-mdes", "subsidy")]["requested"] == Decimal("3000000.00")

    # rounds and decisions: the screening status and the published results
    results = (await client.get(f"{S}/rounds/{budget.rounds[2565]}/results")).json()
    rounds = {int(r["fiscal_year"]): r for r in tables["screening_rounds"]}
    assert Decimal(rounds[2565]["approved_total_baht"]) == Decimal(results["summary"]["approved_total"]) == Decimal("31000000.25")
    assert rounds[2565]["status"] == "closed" and rounds[2565]["results_published"] == "true"
    assert (rounds[2564]["status"], rounds[2564]["ceiling_baht"]) == ("open", "10000000.00")
    decisions = {(int(r["fiscal_year"]), r["project_id"]): r["screening_decision"] for r in tables["budget_lines"]}
    assert {item["project_id"]: item["decision"] for item in results["items"]} == {
        p: d for (fy, p), d in decisions.items() if fy == 2565}

    # money is written from the Decimal with two places, never as a float
    money = [row[f] for t in tables.values() for row in t for f in row if f.endswith("_baht")]
    assert money and all(MONEY.match(cell) for cell in money)


async def test_thai_names_come_out_as_the_ledger_holds_them_with_english_beside(client, who, h, feed, budget, db):
    project = h.project_data("p-thai", "MOF", "S2", title={"th": THAI_AS_TYPED, "en": "Digital public services, phase 2"})
    assert await feed(PROJECT_REGISTERED, "p-thai", project) == "processed"
    # a project is a budget line once money is asked for it: a request in the open round
    await budget.request(2564, "p-thai", "MOF", {"operating": "1000000.00"})
    descriptor, tables = _package(await _download(client, who.secretariat()))
    async with db.session() as session:
        held = (await session.execute(select(projects.c.title_th).where(projects.c.project_id == "p-thai"))).scalar_one()
        strategy_names = dict((await session.execute(select(strategies.c.strategy_id, strategies.c.title_th))).all())
    line = next(r for r in tables["budget_lines"] if r["project_id"] == "p-thai")
    assert line["project_name_th"] == held == normalize_text(THAI_AS_TYPED) != THAI_AS_TYPED
    assert "\u0e33" in line["project_name_th"] and "\u200b" not in line["project_name_th"]
    assert line["project_name_en"] == "Digital public services, phase 2"
    assert (line["expense_category_th"], line["expense_category_en"]) == ("งบดำเนินงาน", "Operating")
    frameworks = {r["framework_id"]: r for r in tables["frameworks"]}
    for strategy_id, name in strategy_names.items():
        assert frameworks[strategy_id]["strategy_name_th"] == name
    assert frameworks["plan-dgdp-S1"]["strategy_name_th"] == h.seed[0][2]
    assert descriptor["columnTypes"][1][0]["labelOf"].endswith(":code")


@pytest.mark.parametrize("caller", ["anonymous", "public", "agency"])
async def test_the_public_gets_frameworks_and_published_rounds_only(client, who, identity, budget, caller):
    headers = {"anonymous": None, "public": identity(PUBLIC, subject="anonymous"), "agency": who.agency("MOF")}[caller]
    # approved but not yet closed and published: frameworks only
    descriptor, tables = _package(await _download(client, headers))
    assert descriptor["dgplan"]["audience"] == "public"
    assert len(tables["frameworks"]) == 5 and tables["screening_rounds"] == [] and tables["budget_lines"] == []

    await budget.close(2565)
    descriptor, tables = _package(await _download(client, headers))
    assert descriptor["dgplan"]["stages"] == ["requested", "recommended", "approved"]
    assert [r["fiscal_year"] for r in tables["screening_rounds"]] == ["2565"]
    assert {r["fiscal_year"] for r in tables["budget_lines"]} == {"2565"}
    assert {r["project_id"] for r in tables["budget_lines"]} == {"p-mof", "p-opdc", "p-depa"}
    columns = {f["name"] for r in descriptor["resources"] if r["name"] == "budget_lines" for f in r["schema"]["fields"]}
    assert {"requested_baht", "recommended_baht", "approved_baht"} <= columns
    assert not columns & {"allocated_baht", "committed_baht", "disbursed_baht"}
    assert all("disbursed_baht" not in row for row in tables["budget_lines"])
    # what the public reads is what the published results state, per project and to the satang
    results = (await client.get(f"{S}/rounds/{budget.rounds[2565]}/results")).json()["items"]
    for stage in ("requested", "recommended", "approved"):
        per_project: dict[str, Decimal] = {}
        for row in tables["budget_lines"]:
            per_project[row["project_id"]] = per_project.get(row["project_id"], Decimal("0")) + Decimal(row[f"{stage}_baht"])
        assert per_project == {i["project_id"]: Decimal(i[f"{stage}_total"]) for i in results}, stage


async def test_a_round_closed_without_publishing_its_results_stays_with_oversight(client, who, budget):
    await budget.close(2565, publish=False)
    _, public = _package(await _download(client))
    assert public["screening_rounds"] == [] and public["budget_lines"] == []
    _, oversight = _package(await _download(client, who.secretariat()))
    closed = next(r for r in oversight["screening_rounds"] if r["fiscal_year"] == "2565")
    assert (closed["status"], closed["results_published"]) == ("closed", "false")


async def test_an_unknown_plan_is_a_404(client):
    r = await client.get(FDP, params={"plan_id": "no-such-plan"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")


async def test_the_descriptor_is_data_package_v2_with_fiscal_modelling(client, who, budget):
    await budget.close(2565)
    descriptor, _ = _package(await _download(client, who.secretariat()))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert (descriptor["countryCode"], descriptor["granularity"]) == ("TH", "aggregated")
    # FY 2563 starts 1 October 2019; FY 2565 ends 30 September 2022
    assert descriptor["fiscalPeriod"] == {"start": "2019-10-01", "end": "2022-09-30"}
    lines = next(r for r in descriptor["resources"] if r["name"] == "budget_lines")
    types = {f["name"]: f.get("columnType") for f in lines["schema"]["fields"]}
    assert types["fiscal_year"] == "date:fiscal-year" and types["approved_baht"] == "value"
    assert types["agency_code"] == "administrative-classification:generic:level1:code"
    assert types["strategy_code"] == "functional-classification:generic:level1:code"
    assert types["expense_category"] == "economic-classification:generic:level1:code"
    phases = {f["name"]: f["normalize"]["phase"] for f in lines["schema"]["fields"] if "normalize" in f}
    assert phases == {f"{s}_baht": s for s in STAGES}
    currency = next(f for f in lines["schema"]["extraFields"] if f["name"] == "currency")
    assert (currency["columnType"], currency["constant"]) == ("value-currency:code", "THB")


@pytest.mark.parametrize("viewer", ["oversight", "public"])
async def test_frictionless_finds_the_package_valid(client, who, budget, tmp_path, viewer):
    await budget.close(2565)
    response = await _download(client, who.secretariat() if viewer == "oversight" else None)
    report = validate(str(_extract(response, tmp_path)))
    assert report.valid is True, _errors(report)
    assert _errors(report) == [] and len(report.tasks) == 4


@pytest.mark.parametrize(("resource", "column", "value", "error"), [
    ("budget_lines.csv", "approved_baht", "-1.00", "constraint-error"),
    ("budget_lines.csv", "fiscal_year", "2022", "constraint-error"),
    ("budget_lines.csv", "expense_category", "travel", "constraint-error"),
    ("framework_fiscal_years.csv", "framework_id", "no-such-strategy", "foreign-key"),
    ("frameworks.csv", "framework_baht", "many", "type-error"),
])
async def test_frictionless_reports_what_the_package_declares(client, who, budget, tmp_path, resource, column, value, error):
    await budget.close(2565)
    path = _extract(await _download(client, who.secretariat()), tmp_path).parent / resource
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = list(reader.fieldnames or []), list(reader)
    if not rows:  # the seed states no fiscal-year split: add one row to break
        rows = [{"framework_id": "plan-dgdp-S1", "fiscal_year": "2565", "period_start": "2021-10-01",
                 "period_end": "2022-09-30", "framework_baht": "1.00"}]
    rows[0][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    report = validate(str(path.parent / "datapackage.json"))
    assert report.valid is False and error in _errors(report)
