"""Keep the ledger's read models of the registry's plans and projects (plan.drafted,
project.registered / project.changed).

Each project event is a full snapshot, so the handler upserts the whole row; an older snapshot
never arrives after a newer one because the registry keys project events by project id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from budget_ledger.application.repositories import repositories
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.text import normalize_text


@dataclass(frozen=True)
class RecordProject:
    data: dict[str, Any]  # the event's data (tolerant reader: unknown fields ignored)


@dataclass(frozen=True)
class RecordPlan:
    data: dict[str, Any]


def _text(value: str | None) -> str | None:
    return None if value is None else normalize_text(value)


async def record_project(command: RecordProject, uow: UnitOfWork) -> None:
    data = command.data
    title = data.get("title") or {}
    await repositories(uow).plans.save_project(
        str(data["project_id"]),
        {
            "code": data.get("code"),
            "plan_id": str(data["plan_id"]),
            "strategy_id": str(data["strategy_id"]),
            "lead_agency": data.get("lead_agency"),
            "title_th": _text(title.get("th")),
            "title_en": _text(title.get("en")),
            "start_fy": data.get("start_fy"),
            "end_fy": data.get("end_fy"),
            "status": data.get("status"),
            "updated_at": utcnow(),
        },
    )


async def record_plan(command: RecordPlan, uow: UnitOfWork) -> None:
    d = command.data
    await repositories(uow).plans.save_plan(
        str(d["plan_id"]),
        {"plan_code": d.get("code"), "start_fy": d.get("start_fy"), "end_fy": d.get("end_fy"), "updated_at": utcnow()},
    )
