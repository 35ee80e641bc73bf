"""A project's evaluation as of a date (oversight, or an agency taking part in the project)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dgplan_contracts.fiscal import fiscal_year_of
from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found
from monitoring.adapters.repositories import repositories
from monitoring.application.evaluation_facts import project_facts
from monitoring.domain.access import require_project_reader
from monitoring.domain.evaluation import Thresholds, evaluate_project


@dataclass(frozen=True)
class GetProjectEvaluation:
    principal: Principal
    project_id: str
    as_of: date
    rules: Thresholds


async def handle(query: GetProjectEvaluation, uow: UnitOfWork) -> dict[str, Any]:
    repos = repositories(uow)
    project = await repos.read_models.project(query.project_id)
    if project is None:
        raise not_found("project", query.project_id)
    require_project_reader(query.principal, project)
    facts = (await project_facts(repos, [project], fiscal_year_of(query.as_of)))[query.project_id]
    result = evaluate_project(facts, query.as_of, query.rules).to_dict()
    result.update(code=project["code"], title={"th": project["title_th"], "en": project["title_en"]},
                  lead_agency=project["lead_agency"])
    return result
