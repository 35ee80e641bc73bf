"""Issue 17: the two open-data exports of ``make run``'s suite (the registry's Data Package of the
plan and the ledger's Fiscal Data Package of its budget), fetched through the gateway without a
token, are valid for ``frictionless`` and agree with each other: the same strategies, the same Thai
and English names, the same frameworks to the satang, and the ledger's reconciliation behind them."""

from __future__ import annotations

import asyncio
import csv
import io
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from frictionless import validate

from dgplan_shared.embedded import serve
from dgplan_shared.net import free_port

SEED_TOTAL = Decimal("6504690000.00")


def _unzip(content: bytes, directory: Path) -> dict[str, list[dict[str, str]]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    archive.extractall(directory)
    return {name[: -len(".csv")]: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"), newline="")))
            for name in archive.namelist() if name.endswith(".csv")}


def _valid(directory: Path) -> None:
    report = validate(str(directory / "datapackage.json"))
    errors = [e["type"] for task in report.to_descriptor()["tasks"] for e in task["errors"]]
    assert report.valid is True and errors == [], errors


async def _fiscal_package(http: httpx.AsyncClient, plan_id: str) -> httpx.Response:
    # The ledger learns the plan from the registry's structure event: wait for the consumer to apply it.
    deadline = time.monotonic() + 60
    while True:
        response = await http.get("/api/v1/budget/open-data/fiscal-data-package", params={"plan_id": plan_id})
        if response.status_code != 404 or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.2)


async def test_both_open_data_packages_are_valid_and_agree(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DGPLAN_DATA_DIR", str(data_dir))  # where the embedded setup writes its demo clients
    port, ready, stop = free_port(), asyncio.Event(), asyncio.Event()
    suite = asyncio.create_task(serve("127.0.0.1", port, data_dir, ready, stop))
    try:
        await asyncio.wait_for(ready.wait(), 180)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            plan_id = (await http.get("/api/v1/plans")).json()["items"][0]["id"]
            plan_package = await http.get(f"/api/v1/plans/{plan_id}/export/open-data")
            budget_package = await _fiscal_package(http, plan_id)
            reconciliation = (await http.get(f"/api/v1/budget/frameworks/{plan_id}/reconciliation")).json()
    finally:
        stop.set()
        await asyncio.wait_for(suite, 60)
    assert plan_package.status_code == 200, plan_package.text
    assert budget_package.status_code == 200, budget_package.text

    plan = _unzip(plan_package.content, tmp_path / "plan")
    budget = _unzip(budget_package.content, tmp_path / "budget")
    _valid(tmp_path / "plan")
    _valid(tmp_path / "budget")

    registry_strategies = {n["id"]: n for n in plan["nodes"] if n["node_type"] == "strategy"}
    frameworks = {f["framework_id"]: f for f in budget["frameworks"]}
    assert Decimal(frameworks[plan_id]["framework_baht"]) == Decimal(reconciliation["plan_total"]) == SEED_TOTAL
    strategy_rows: dict[str, Any] = {k: v for k, v in frameworks.items() if v["level"] == "strategy"}
    assert set(strategy_rows) == set(registry_strategies) and len(strategy_rows) == 4
    for strategy_id, row in strategy_rows.items():
        node = registry_strategies[strategy_id]
        assert (row["strategy_code"], row["strategy_name_th"], row["strategy_name_en"]) == (
            node["code"], node["name_th"], node["name_en"])
        assert Decimal(row["framework_baht"]) == Decimal(node["budget_framework_baht"])
    assert sum(Decimal(r["framework_baht"]) for r in strategy_rows.values()) == SEED_TOTAL
    # No round of the seed is closed and published yet: the public sees frameworks only.
    assert budget["budget_lines"] == [] and budget["screening_rounds"] == []
