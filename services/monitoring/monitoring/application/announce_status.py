"""Re-evaluate one project and announce its status when it changes (outbox, same transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dgplan_contracts.fiscal import fiscal_year_of
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from monitoring.adapters.repositories import repositories
from monitoring.application.evaluation_facts import project_facts
from monitoring.domain.evaluation import Evaluation, Thresholds, evaluate_project
from monitoring.events.types import PROJECT_STATUS_CHANGED


@dataclass(frozen=True)
class AnnounceStatus:
    project_id: str
    as_of: date
    rules: Thresholds


async def handle(command: AnnounceStatus, uow: UnitOfWork) -> Evaluation | None:
    return await evaluate_and_announce(uow, command.project_id, command.as_of, command.rules)


async def evaluate_and_announce(uow: UnitOfWork, project_id: str, as_of: date, rules: Thresholds) -> Evaluation | None:
    repos = repositories(uow)
    project = await repos.read_models.project(project_id)
    if project is None:
        return None
    facts = (await project_facts(repos, [project], fiscal_year_of(as_of)))[project_id]
    evaluation = evaluate_project(facts, as_of, rules)
    previous = await repos.statuses.get(project_id)
    await repos.statuses.save(project_id, {
        "status": evaluation.status,
        "at_risk": evaluation.at_risk,
        "as_of": as_of.isoformat(),
        "updated_at": utcnow(),
    }, existed=previous is not None)
    if previous is None or previous["status"] != evaluation.status:
        await uow.publish(PROJECT_STATUS_CHANGED, project_id, {
            "project_id": project_id,
            "project_code": project["code"],
            "plan_id": project["plan_id"],
            "strategy_id": project["strategy_id"],
            "lead_agency": project["lead_agency"],
            "previous_status": previous["status"] if previous else None,
            "status": evaluation.status,
            "at_risk": evaluation.at_risk,
            "as_of": as_of.isoformat(),
            "fiscal_year": evaluation.fiscal_year,
            "reason": evaluation.reason,
        })
    return evaluation
