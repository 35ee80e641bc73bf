"""Submit a quarterly progress report, or a correction of one as a new revision.

A correction never overwrites: it is a new row with the next revision number that names the
report it revises; earlier revisions stay readable.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_contracts.identity import AGENCY, Principal, forbidden, require_role
from dgplan_shared.problems import conflict, invalid
from monitoring.api.schemas import ProgressReportIn
from monitoring.db.queries import project_row
from monitoring.db.tables import indicators, progress_reports
from monitoring.domain.evaluation import Thresholds
from monitoring.events.types import REPORT_SUBMITTED
from monitoring.usecases.actual_values import resolve_actual
from monitoring.usecases.announce_status import evaluate_and_announce


async def _actuals(uow: UnitOfWork, body: ProgressReportIn) -> list[dict[str, Any]]:
    rows = (
        await uow.session.execute(
            select(indicators).where(indicators.c.link_type == "project", indicators.c.link_id == body.project_id)
        )
    ).mappings().all()
    attached = {r["indicator_id"]: r for r in rows}
    seen: set[str] = set()
    out = []
    for i, actual in enumerate(body.actuals):
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


async def _revision(uow: UnitOfWork, body: ProgressReportIn) -> int:
    current = (
        await uow.session.execute(
            select(progress_reports.c.report_id, progress_reports.c.revision)
            .where(
                progress_reports.c.project_id == body.project_id,
                progress_reports.c.fiscal_year == body.fiscal_year,
                progress_reports.c.quarter == body.quarter,
            )
            .order_by(progress_reports.c.revision.desc())
            .limit(1)
        )
    ).first()
    if current is None:
        if body.revises_report_id is not None:
            raise invalid("revises_report_id", "there is no report of this quarter to revise yet")
        return 1
    if body.revises_report_id is None:
        raise conflict(
            "duplicate-progress-report",
            f"FY{body.fiscal_year} Q{body.quarter} was already reported (report {current.report_id}); "
            "submit a correction with revises_report_id and revision_reason.",
            current_report_id=current.report_id,
        )
    if body.revises_report_id != current.report_id:
        raise conflict(
            "stale-revision",
            f"Report {body.revises_report_id} is not the current revision of this quarter; revise {current.report_id}.",
            current_report_id=current.report_id,
        )
    if not body.revision_reason:
        raise invalid("revision_reason", "say why the report is corrected")
    return current.revision + 1


def render(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "report_id": row["report_id"],
        "project_id": row["project_id"],
        "fiscal_year": row["fiscal_year"],
        "quarter": row["quarter"],
        "revision": row["revision"],
        "revision_reason": row["revision_reason"],
        "percent_complete": row["percent_complete"],
        "actuals": row["actuals"],
        "milestones": row["milestones"],
        "issues": row["issues"],
        "narrative": None if row["narrative_th"] is None else {"th": row["narrative_th"], "en": row["narrative_en"]},
        "evidence": row["evidence"],
        "agency": row["agency"],
        "submitted_by": row["submitted_by"],
        "submitted_at": row["submitted_at"].isoformat(),
    }


async def submit_progress_report(
    uow: UnitOfWork, principal: Principal, body: ProgressReportIn, today: date, rules: Thresholds
) -> dict[str, Any]:
    require_role(principal, AGENCY)
    project = await project_row(uow.session, body.project_id)
    if project is None:
        raise invalid("project_id", f"no project {body.project_id} is registered", slug="unknown-project")
    if not principal.acts_for_agency(project["lead_agency"]):
        raise forbidden("Only the project's lead agency reports its progress.")
    start, end = project["start_fy"], project["end_fy"]
    if (start is not None and body.fiscal_year < start) or (end is not None and body.fiscal_year > end):
        raise invalid("fiscal_year", f"the project runs in fiscal years {start}-{end}", slug="outside-project-years")
    revision = await _revision(uow, body)
    actuals = await _actuals(uow, body)
    row = {
        "report_id": str(uuid.uuid4()),
        "project_id": body.project_id,
        "fiscal_year": body.fiscal_year,
        "quarter": body.quarter,
        "revision": revision,
        "revision_reason": body.revision_reason if revision > 1 else None,
        "percent_complete": str(body.percent_complete.quantize(Decimal("0.01"))),
        "actuals": actuals,
        "milestones": [m.model_dump(mode="json") for m in body.milestones],
        "issues": [i.model_dump(mode="json") for i in body.issues],
        "narrative_th": body.narrative.th if body.narrative else None,
        "narrative_en": body.narrative.en if body.narrative else None,
        "evidence": [e.model_dump(mode="json") for e in body.evidence],
        "agency": principal.agency,
        "submitted_by": principal.subject,
        "submitted_at": utcnow(),
    }
    await uow.session.execute(progress_reports.insert().values(**row))
    view = render(row)
    await uow.publish(REPORT_SUBMITTED, body.project_id, {
        "report_id": row["report_id"],
        "project_id": body.project_id,
        "plan_id": project["plan_id"],
        "strategy_id": project["strategy_id"],
        "agency": principal.agency,
        "fiscal_year": body.fiscal_year,
        "quarter": body.quarter,
        "revision": revision,
        "revises_report_id": body.revises_report_id,
        "percent_complete": row["percent_complete"],
        "risks": sum(1 for i in body.issues if i.kind == "risk"),
        "issues": sum(1 for i in body.issues if i.kind == "issue"),
        "submitted_by": principal.subject,
        "submitted_at": view["submitted_at"],
    })
    evaluation = await evaluate_and_announce(uow, body.project_id, today, rules)
    view["evaluation"] = evaluation.to_dict() if evaluation else None
    return view
