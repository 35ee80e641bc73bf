"""Read one revision of a progress report (oversight, or an agency taking part in the project)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found
from monitoring.adapters.repositories import repositories
from monitoring.application.views import report_view
from monitoring.domain.access import require_project_reader


@dataclass(frozen=True)
class GetProgressReport:
    principal: Principal
    report_id: str


async def handle(query: GetProgressReport, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    row = await repos.reports.get(query.report_id)
    if row is None:
        raise not_found("progress report", query.report_id)
    project = await repos.read_models.project(row["project_id"]) or {"project_id": row["project_id"]}
    require_project_reader(query.principal, project)
    return report_view(row)
