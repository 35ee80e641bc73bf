"""A project's progress for agency staff: its evaluation, its indicators with their targets and the
actuals reported, the quarterly reports submitted so far (monitoring), and the use case of
submitting a quarter's report. Monitoring decides who may read a project's progress: its answer
(403 for an agency that takes no part in the project) is what the page shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from console.adapters.gateway_client import GatewayClient
from console.domain.evaluation_reasons import Reason, reasons
from console.domain.report_form import ReportForm

MONITORING = "/api/v1/monitoring"


def segment(identifier: str) -> str:
    """An id from the page's URL as one path segment of the API (never a path or a query of its own)."""
    return quote(identifier, safe="")


@dataclass(frozen=True)
class ShowProject:
    project_id: str
    agency: str | None
    as_of: str | None = None  # an ISO day; None: monitoring's today


@dataclass(frozen=True)
class ReportedActual:
    fiscal_year: int
    quarter: int
    revision: int
    actual: dict[str, Any]


@dataclass(frozen=True)
class ProjectProgress:
    project: dict[str, Any]  # the registry's project
    evaluation: dict[str, Any]
    reasons: list[Reason]
    indicators: list[dict[str, Any]]
    reports: list[dict[str, Any]]  # every revision, newest period first
    actuals: dict[str, list[ReportedActual]]  # indicator id → what the reports said, newest first
    leads: bool  # the person's agency leads the project, so it reports its progress

    @property
    def indicator_ids(self) -> list[str]:
        return [i["indicator_id"] for i in self.indicators]

    @property
    def current_report_ids(self) -> set[str]:
        """The newest revision of each quarter: only that one may be corrected (monitoring's rule)."""
        return {r["report_id"] for r in current_reports(self.reports)}

    def current_report(self, report_id: str | None) -> dict[str, Any] | None:
        if report_id not in self.current_report_ids:
            return None
        return next(r for r in self.reports if r["report_id"] == report_id)


def lead_agency(project: dict[str, Any]) -> str | None:
    return next((r["agency"] for r in project.get("roles") or [] if r.get("role") == "lead"), None)


def current_reports(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The newest revision of each quarter, in the order given."""
    newest: dict[tuple[int, int], int] = {}
    for report in reports:
        slot = (report["fiscal_year"], report["quarter"])
        newest[slot] = max(newest.get(slot, 0), report["revision"])
    return [r for r in reports if r["revision"] == newest[(r["fiscal_year"], r["quarter"])]]


def actuals_by_indicator(reports: list[dict[str, Any]]) -> dict[str, list[ReportedActual]]:
    """What each indicator's actual is per quarter: a corrected report's actuals are superseded."""
    found: dict[str, list[ReportedActual]] = {}
    for report in current_reports(reports):
        for actual in report.get("actuals") or []:
            found.setdefault(actual["indicator_id"], []).append(
                ReportedActual(report["fiscal_year"], report["quarter"], report["revision"], actual))
    return found


async def evaluation_of(gateway: GatewayClient, project_id: str, as_of: str | None) -> dict[str, Any]:
    return await gateway.get(f"{MONITORING}/projects/{segment(project_id)}/evaluation",
                             {"as_of": as_of} if as_of else None)


async def handle(query: ShowProject, gateway: GatewayClient) -> ProjectProgress:
    # Monitoring's evaluation first: it refuses an agency outside the project before anything is read.
    evaluation = await evaluation_of(gateway, query.project_id, query.as_of)
    project = await gateway.get(f"/api/v1/projects/{segment(query.project_id)}")
    indicators = await gateway.all_items(f"{MONITORING}/indicators",
                                         {"link_type": "project", "link_id": query.project_id})
    reports = await gateway.all_items(f"{MONITORING}/progress-reports",
                                      {"project_id": query.project_id, "sort": "-period"})
    return ProjectProgress(
        project=project, evaluation=evaluation, reasons=reasons(evaluation), indicators=indicators,
        reports=reports, actuals=actuals_by_indicator(reports),
        leads=query.agency is not None and lead_agency(project) == query.agency,
    )


@dataclass(frozen=True)
class SubmitReport:
    project_id: str
    form: ReportForm
    indicator_ids: list[str]
    idempotency_key: str


async def indicator_ids(gateway: GatewayClient, project_id: str) -> list[str]:
    """The indicators the form was drawn with (the fields the posted form can carry)."""
    found = await gateway.all_items(f"{MONITORING}/indicators", {"link_type": "project", "link_id": project_id})
    return [i["indicator_id"] for i in found]


async def submit(command: SubmitReport, gateway: GatewayClient) -> dict[str, Any]:
    return await gateway.post(f"{MONITORING}/progress-reports",
                              command.form.body(command.project_id, command.indicator_ids),
                              idempotency_key=command.idempotency_key)
