"""Submit a quarterly progress report, or a correction of one as a new revision (lead agency).

A correction never overwrites: it is a new row with the next revision number that names the
report it revises; earlier revisions stay readable.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from dgplan_contracts.identity import AGENCY, Principal, require_role
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict, forbidden, invalid
from monitoring.adapters.repositories import Repositories, repositories
from monitoring.application.announce_status import evaluate_and_announce
from monitoring.application.views import report_view
from monitoring.domain.actuals import resolve_actual
from monitoring.domain.evaluation import Thresholds
from monitoring.events.types import REPORT_SUBMITTED


@dataclass(frozen=True)
class ReportedActual:
    indicator_id: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str | None = None


@dataclass(frozen=True)
class SubmitProgressReport:
    principal: Principal
    project_id: str
    fiscal_year: int
    quarter: int
    percent_complete: Decimal
    today: date
    rules: Thresholds
    actuals: tuple[ReportedActual, ...] = ()
    milestones: tuple[dict[str, Any], ...] = ()
    issues: tuple[dict[str, Any], ...] = ()  # each with its "kind": issue | risk
    narrative_th: str | None = None
    narrative_en: str | None = None
    evidence: tuple[dict[str, Any], ...] = ()
    revises_report_id: str | None = None
    revision_reason: str | None = None


async def _actuals(repos: Repositories, c: SubmitProgressReport) -> list[dict[str, Any]]:
    attached = {r["indicator_id"]: r for r in await repos.indicators.of_projects([c.project_id])}
    seen: set[str] = set()
    out = []
    for i, actual in enumerate(c.actuals):
        field = f"actuals.{i}"
        indicator = attached.get(actual.indicator_id)
        if indicator is None:
            raise invalid(f"{field}.indicator_id", f"indicator {actual.indicator_id} is not attached to this project",
                          slug="indicator-not-attached")
        if actual.indicator_id in seen:
            raise invalid(f"{field}.indicator_id", "one actual per indicator and report")
        seen.add(actual.indicator_id)
        resolved = resolve_actual(indicator, field, actual.value, actual.numerator, actual.denominator, actual.note)
        out.append({"indicator_id": actual.indicator_id, "code": indicator["code"], **resolved})
    return out


async def _revision(repos: Repositories, c: SubmitProgressReport) -> int:
    current = await repos.reports.current(c.project_id, c.fiscal_year, c.quarter)
    if current is None:
        if c.revises_report_id is not None:
            raise invalid("revises_report_id", "there is no report of this quarter to revise yet")
        return 1
    report_id, revision = current
    if c.revises_report_id is None:
        raise conflict(
            "duplicate-progress-report",
            f"FY{c.fiscal_year} Q{c.quarter} was already reported (report {report_id}); "
            "submit a correction with revises_report_id and revision_reason.",
            current_report_id=report_id,
        )
    if c.revises_report_id != report_id:
        raise conflict(
            "stale-revision",
            f"Report {c.revises_report_id} is not the current revision of this quarter; revise {report_id}.",
            current_report_id=report_id,
        )
    if not c.revision_reason:
        raise invalid("revision_reason", "say why the report is corrected")
    return revision + 1


async def handle(command: SubmitProgressReport, uow: UnitOfWork) -> dict[str, Any]:
    c, principal = command, command.principal
    require_role(principal, AGENCY)
    repos = repositories(uow)
    project = await repos.read_models.project(c.project_id)
    if project is None:
        raise invalid("project_id", f"no project {c.project_id} is registered", slug="unknown-project")
    if not principal.acts_for_agency(project["lead_agency"]):
        raise forbidden("Only the project's lead agency reports its progress.")
    start, end = project["start_fy"], project["end_fy"]
    if (start is not None and c.fiscal_year < start) or (end is not None and c.fiscal_year > end):
        raise invalid("fiscal_year", f"the project runs in fiscal years {start}-{end}", slug="outside-project-years")
    revision = await _revision(repos, c)
    actuals = await _actuals(repos, c)
    row = {
        "report_id": str(uuid.uuid4()),
        "project_id": c.project_id,
        "fiscal_year": c.fiscal_year,
        "quarter": c.quarter,
        "revision": revision,
        "revision_reason": c.revision_reason if revision > 1 else None,
        "percent_complete": str(c.percent_complete.quantize(Decimal("0.01"))),
        "actuals": actuals,
        "milestones": list(c.milestones),
        "issues": list(c.issues),
        "narrative_th": c.narrative_th,
        "narrative_en": c.narrative_en,
        "evidence": list(c.evidence),
        "agency": principal.agency,
        "submitted_by": principal.subject,
        "submitted_at": utcnow(),
    }
    await repos.reports.add(row)
    view = report_view(row)
    await uow.publish(REPORT_SUBMITTED, c.project_id, {
        "report_id": row["report_id"],
        "project_id": c.project_id,
        "plan_id": project["plan_id"],
        "strategy_id": project["strategy_id"],
        "agency": principal.agency,
        "fiscal_year": c.fiscal_year,
        "quarter": c.quarter,
        "revision": revision,
        "revises_report_id": c.revises_report_id,
        "percent_complete": row["percent_complete"],
        "risks": sum(1 for i in c.issues if i.get("kind") == "risk"),
        "issues": sum(1 for i in c.issues if i.get("kind") == "issue"),
        "submitted_by": principal.subject,
        "submitted_at": view["submitted_at"],
    })
    evaluation = await evaluate_and_announce(uow, c.project_id, c.today, c.rules)
    view["evaluation"] = evaluation.to_dict() if evaluation else None
    return view
