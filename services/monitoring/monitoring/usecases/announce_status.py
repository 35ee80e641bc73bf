"""Re-evaluate one project and announce its status when it changes (outbox, same transaction)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from monitoring.db.queries import project_facts, project_row
from monitoring.db.tables import project_statuses
from monitoring.domain.evaluation import Evaluation, Thresholds, evaluate_project
from monitoring.domain.fiscal import fiscal_year_of
from monitoring.events.types import PROJECT_STATUS_CHANGED


async def evaluate_and_announce(uow: UnitOfWork, project_id: str, as_of: date, rules: Thresholds) -> Evaluation | None:
    session = uow.session
    project = await project_row(session, project_id)
    if project is None:
        return None
    facts = (await project_facts(session, [project], fiscal_year_of(as_of)))[project_id]
    evaluation = evaluate_project(facts, as_of, rules)
    previous = (
        await session.execute(select(project_statuses).where(project_statuses.c.project_id == project_id))
    ).mappings().first()
    values = {
        "status": evaluation.status,
        "at_risk": evaluation.at_risk,
        "as_of": as_of.isoformat(),
        "updated_at": utcnow(),
    }
    if previous is None:
        insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        await session.execute(insert(project_statuses).values(project_id=project_id, **values).on_conflict_do_nothing())
    else:
        await session.execute(update(project_statuses).where(project_statuses.c.project_id == project_id).values(**values))
    if previous is None or previous["status"] != evaluation.status:
        await uow.publish(
            PROJECT_STATUS_CHANGED,
            project_id,
            {
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
            },
        )
    return evaluation
