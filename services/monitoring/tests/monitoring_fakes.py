"""A fake unit of work for fast use-case tests: in-memory repositories, published events recorded,
no database and no HTTP. It answers the same calls the SQL repositories do, for the use cases
tested with it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from monitoring.adapters.repositories import Repositories


class FakeIndicators:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.targets: dict[str, list[tuple[int, str]]] = {}

    async def get(self, indicator_id: str) -> dict[str, Any] | None:
        row = self.rows.get(indicator_id)
        return dict(row) if row else None

    async def code_taken(self, code: str, other_than: str | None = None) -> bool:
        return any(r["code"] == code and i != other_than for i, r in self.rows.items())

    async def add(self, row: dict[str, Any]) -> None:
        self.rows[row["indicator_id"]] = dict(row)

    async def update_if_version(self, indicator_id: str, version: int, values: dict[str, Any]) -> bool:
        row = self.rows.get(indicator_id)
        if row is None or row["version"] != version:
            return False
        row.update(values)
        return True

    async def replace_targets(self, indicator_id: str, targets: list[tuple[int, str]]) -> None:
        self.targets[indicator_id] = list(targets)

    async def targets_text(self, indicator_ids: list[str]) -> dict[str, list[tuple[int, str]]]:
        return {i: list(self.targets.get(i, [])) for i in indicator_ids}

    async def targets_by_indicator(self, indicator_ids: list[str]) -> dict[str, dict[int, Decimal]]:
        return {i: {fy: Decimal(v) for fy, v in self.targets[i]} for i in indicator_ids if self.targets.get(i)}

    async def of_projects(self, project_ids: list[str]) -> list[dict[str, Any]]:
        return [dict(r) for r in self.rows.values() if r["link_type"] == "project" and r["link_id"] in project_ids]


class FakeReports:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    async def current(self, project_id: str, fiscal_year: int, quarter: int) -> tuple[str, int] | None:
        same = [r for r in self.rows if (r["project_id"], r["fiscal_year"], r["quarter"]) == (project_id, fiscal_year,
                                                                                           quarter)]
        if not same:
            return None
        latest = max(same, key=lambda r: r["revision"])
        return latest["report_id"], latest["revision"]

    async def add(self, row: dict[str, Any]) -> None:
        self.rows.append(dict(row))

    async def latest_revisions(self, project_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        latest: dict[tuple, dict[str, Any]] = {}
        for r in sorted(self.rows, key=lambda r: r["revision"]):
            if r["project_id"] in project_ids:
                latest[(r["project_id"], r["fiscal_year"], r["quarter"])] = r
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (project_id, _, _), r in latest.items():
            out[project_id].append(r)
        return dict(out)


class FakeStatuses:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}

    async def get(self, project_id: str) -> dict[str, Any] | None:
        row = self.rows.get(project_id)
        return dict(row) if row else None

    async def save(self, project_id: str, values: dict[str, Any], *, existed: bool) -> None:
        assert existed == (project_id in self.rows), "the use case read the status before writing it"
        self.rows[project_id] = {"project_id": project_id, **values}


class FakeReadModels:
    def __init__(self) -> None:
        self.projects: dict[str, dict[str, Any]] = {}
        self.strategies: set[str] = set()
        self.targets: set[str] = set()
        self.money: dict[tuple[str, int], dict[str, Decimal]] = {}

    def add_project(self, project_id: str, *, lead: str = "MOF", start_fy: int = 2565, end_fy: int = 2565,
                    **extra: Any) -> None:
        self.projects[project_id] = {
            "project_id": project_id, "code": project_id, "plan_id": "plan", "strategy_id": "plan-S1",
            "title_th": "โครงการ", "title_en": "Project", "lead_agency": lead,
            "agencies": [{"agency": lead, "role": "lead"}], "start_fy": start_fy, "end_fy": end_fy, **extra,
        }

    async def project(self, project_id: str) -> dict[str, Any] | None:
        row = self.projects.get(project_id)
        return dict(row) if row else None

    async def knows(self, link_type: str, link_id: str) -> bool:
        known = {"project": set(self.projects), "strategy": self.strategies, "plan_target": self.targets}
        return link_id in known[link_type]

    async def budget_totals(self, fiscal_year: int, project_ids: list[str] | None = None) -> dict[str, dict]:
        return {p: dict(kinds) for (p, fy), kinds in self.money.items()
                if fy == fiscal_year and (project_ids is None or p in project_ids)}


@dataclass
class PublishedEvent:
    type: str
    subject: str
    data: dict[str, Any]


@dataclass
class FakeUnitOfWork:
    indicators: FakeIndicators = field(default_factory=FakeIndicators)
    reports: FakeReports = field(default_factory=FakeReports)
    statuses: FakeStatuses = field(default_factory=FakeStatuses)
    read_models: FakeReadModels = field(default_factory=FakeReadModels)
    published: list[PublishedEvent] = field(default_factory=list)
    committed: int = 0

    @property
    def repositories(self) -> Repositories:
        return Repositories(indicators=self.indicators, reports=self.reports,  # type: ignore[arg-type]
                            statuses=self.statuses, read_models=self.read_models,  # type: ignore[arg-type]
                            projection=None, history=None)  # type: ignore[arg-type]

    @property
    def session(self) -> Any:
        raise AssertionError("a use case reached for SQL instead of its repositories")

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def publish(self, event_type: str, subject: str, data: dict[str, Any]) -> PublishedEvent:
        event = PublishedEvent(event_type, subject, data)
        self.published.append(event)
        return event

    async def commit(self) -> None:
        self.committed += 1

    async def rollback(self) -> None:
        return None

    def of_type(self, event_type: str) -> list[PublishedEvent]:
        return [e for e in self.published if e.type == event_type]
