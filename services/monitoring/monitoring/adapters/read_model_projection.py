"""Projection of registry and ledger events into the read models.

The same code serves the live consumer and the rebuild command, so a rebuild reproduces the live
read models exactly. Tolerant reader: unknown fields are ignored, missing ones become NULL.
Projections depend only on the events (in the order consumed, which a rebuild keeps), never on
the clock or on monitoring's own data.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.text import normalize_text
from monitoring.adapters.tables import (
    READ_MODELS,
    rm_alignments,
    rm_approved_projects,
    rm_budget_entries,
    rm_plan_targets,
    rm_plans,
    rm_project_versions,
    rm_projects,
    rm_strategies,
)


def _text(value: Any) -> str | None:
    return normalize_text(value) if isinstance(value, str) else None


def _title(data: dict, key: str = "title") -> dict[str, str | None]:
    title = data.get(key) if isinstance(data.get(key), dict) else {}
    return {"title_th": _text(title.get("th")), "title_en": _text(title.get("en"))}


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _money(value: Any) -> Decimal | None:
    # Money arrives as a decimal string; never through float.
    return Decimal(str(value)) if value is not None else None


def _declared(data: dict) -> dict[str, int | None]:
    declared = data.get("declared") if isinstance(data.get("declared"), dict) else {}
    return {
        "declared_measures": _int(declared.get("measures")),
        "declared_work_plans": _int(declared.get("work_plans")),
        "declared_projects": _int(declared.get("projects")),
    }


async def _upsert(session: AsyncSession, table: Table, key: str | tuple[str, ...], values: dict[str, Any]) -> None:
    keys = (key,) if isinstance(key, str) else key
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table).values(**values)
    changes = {k: v for k, v in values.items() if k not in keys}
    await session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=changes))


async def _plan_drafted(session: AsyncSession, data: dict) -> None:
    await _upsert(session, rm_plans, "plan_id", {
        "plan_id": str(data["plan_id"]),
        "code": data.get("code"),
        **_title(data),
        "start_fy": _int(data.get("start_fy")),
        "end_fy": _int(data.get("end_fy")),
    })


async def _version_approved(session: AsyncSession, data: dict) -> None:
    plan_id = str(data["plan_id"])
    version_id = str(data.get("version_id"))
    await _upsert(session, rm_plans, "plan_id", {"plan_id": plan_id, "approved_version_id": version_id})
    project_ids = data.get("project_ids")
    if not isinstance(project_ids, list):
        return  # an older producer: keep the set the last approval gave
    ids = sorted({str(x) for x in project_ids})
    a, v, p = rm_approved_projects.c, rm_project_versions.c, rm_projects.c
    kept = dict((await session.execute(
        select(a.project_id, a.snapshot_version_id).where(a.plan_id == plan_id))).all())
    own = set((await session.scalars(
        select(v.project_id).where(v.version_id == version_id, v.project_id.in_(ids)))).all())
    latest = dict((await session.execute(select(p.project_id, p.version_id).where(p.project_id.in_(ids)))).all())
    # A full snapshot of the approved version's projects: what a later draft proposes stays out.
    await session.execute(delete(rm_approved_projects).where(a.plan_id == plan_id))
    rows = [
        {"plan_id": plan_id, "project_id": project_id, "version_id": version_id,
         "snapshot_version_id": _approved_snapshot(project_id, version_id, own, kept, latest)}
        for project_id in ids
    ]
    if rows:
        await session.execute(rm_approved_projects.insert(), rows)


def _approved_snapshot(
    project_id: str, version_id: str, own: set[str], kept: dict[str, str | None], latest: dict[str, str | None],
) -> str | None:
    """Which snapshot an approved version shows of a project: its own, if the version changed the
    project; else the one the previous approval showed (the project came through unchanged); else
    the latest known now, frozen, so a later draft's edit does not reach the public."""
    if project_id in own:
        return version_id
    if kept.get(project_id) is not None:
        return kept[project_id]
    return latest.get(project_id)


async def _structure_published(session: AsyncSession, data: dict) -> None:
    plan_id = str(data["plan_id"])
    values: dict[str, Any] = {
        "plan_id": plan_id,
        "code": data.get("plan_code") or data.get("code"),
        "start_fy": _int(data.get("start_fy")),
        "end_fy": _int(data.get("end_fy")),
        "version_id": data.get("version_id"),
        "budget_framework": _money(data.get("budget_framework")),
        **_declared(data),
    }
    if isinstance(data.get("title"), dict):
        values.update(_title(data))
    values = {k: v for k, v in values.items() if v is not None or k in ("budget_framework",)}
    await _upsert(session, rm_plans, "plan_id", values)
    # The structure is a full snapshot: replace this plan's targets and strategies.
    await session.execute(delete(rm_plan_targets).where(rm_plan_targets.c.plan_id == plan_id))
    await session.execute(delete(rm_strategies).where(rm_strategies.c.plan_id == plan_id))
    for position, target in enumerate(data.get("targets") or []):
        await _upsert(session, rm_plan_targets, "target_id", {
            "target_id": str(target["target_id"]),
            "plan_id": plan_id,
            "code": target.get("code"),
            "position": position,
            **_title(target),
        })
    for strategy in data.get("strategies") or []:
        await _upsert(session, rm_strategies, "strategy_id", {
            "strategy_id": str(strategy["strategy_id"]),
            "plan_id": plan_id,
            "code": strategy.get("code"),
            "number": _int(strategy.get("number")),
            "budget_framework": _money(strategy.get("budget_framework")),
            **_title(strategy),
            **_declared(strategy),
        })
    await _replace_alignments(session, plan_id, data.get("alignments"))


async def _replace_alignments(session: AsyncSession, plan_id: str, links: Any) -> None:
    """The structure's links, whole; an older producer (no ``alignments``) keeps the last ones."""
    if not isinstance(links, list):
        return
    await session.execute(delete(rm_alignments).where(rm_alignments.c.plan_id == plan_id))
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for link in links:
        if not isinstance(link, dict) or not all(link.get(k) for k in ("node_id", "framework", "framework_node")):
            continue
        key = (str(link["node_id"]), str(link["framework"]), str(link["framework_node"]))
        goal_title = link.get("goal_title") if isinstance(link.get("goal_title"), dict) else {}
        rows[key] = {
            "plan_id": plan_id, "node_id": key[0], "framework": key[1], "framework_node": key[2],
            "node_type": str(link.get("node_type") or ""),
            "goal": _opt_str(link.get("goal")),
            "goal_title_th": _text(goal_title.get("th")), "goal_title_en": _text(goal_title.get("en")),
            "strength": "primary" if link.get("strength") == "primary" else "secondary",
        }
    if rows:
        await session.execute(rm_alignments.insert(), list(rows.values()))


def _opt_str(value: Any) -> str | None:
    return str(value) if value is not None else None


async def _project_snapshot(session: AsyncSession, data: dict) -> None:
    agencies = [
        {"agency": str(a.get("agency")), "role": a.get("role")}
        for a in (data.get("agencies") or [])
        if isinstance(a, dict) and a.get("agency")
    ]
    project_id = str(data["project_id"])
    version_id = _opt_str(data.get("version_id"))
    snapshot = {
        "code": data.get("code"),
        "plan_id": _opt_str(data.get("plan_id")),
        "strategy_id": _opt_str(data.get("strategy_id")),
        "measure_id": _opt_str(data.get("measure_id")),
        "work_plan_id": _opt_str(data.get("work_plan_id")),
        **_title(data),
        "lead_agency": data.get("lead_agency"),
        "agencies": agencies,
        "start_fy": _int(data.get("start_fy")),
        "end_fy": _int(data.get("end_fy")),
        "status": data.get("status"),
        "target_ids": [str(x) for x in (data.get("target_ids") or [])],
        "continues_project_id": _opt_str(data.get("continues_project_id")),
    }
    await _upsert(session, rm_projects, "project_id", {"project_id": project_id, **snapshot, "version_id": version_id})
    if version_id is None:
        return  # an older producer: only the latest snapshot is known
    await _upsert(session, rm_project_versions, ("project_id", "version_id"),
                  {"project_id": project_id, "version_id": version_id, **snapshot})
    # The approval may have come first (plan and project events travel on different topics): the
    # approved version's own snapshot, once it arrives, is what that approval shows.
    a = rm_approved_projects.c
    await session.execute(
        update(rm_approved_projects).where(a.project_id == project_id, a.version_id == version_id)
        .values(snapshot_version_id=version_id))


async def _budget_entry(session: AsyncSession, kind: str, data: dict) -> None:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(
        insert(rm_budget_entries)
        .values(
            entry_id=str(data["entry_id"]),
            kind=kind,
            project_id=_opt_str(data.get("project_id")),
            plan_id=_opt_str(data.get("plan_id")),
            strategy_id=_opt_str(data.get("strategy_id")),
            agency=data.get("agency"),
            fiscal_year=_int(data.get("fiscal_year")),
            expense_category=data.get("expense_category"),
            amount=_money(data["amount"]),
            posted_at=_opt_str(data.get("posted_at")),
        )
        .on_conflict_do_nothing()
    )


class ReadModelProjection:
    """Writes of the read models, one method per kind of fact an event brings, and the truncation a
    rebuild starts with. Which event brings which fact is the application's (``project_event``)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def plan_drafted(self, data: dict) -> None:
        await _plan_drafted(self.session, data)

    async def version_approved(self, data: dict) -> None:
        await _version_approved(self.session, data)

    async def structure_published(self, data: dict) -> None:
        await _structure_published(self.session, data)

    async def project_snapshot(self, data: dict) -> None:
        await _project_snapshot(self.session, data)

    async def budget_entry(self, kind: str, data: dict) -> None:
        await _budget_entry(self.session, kind, data)

    async def clear(self) -> None:
        for table in READ_MODELS:
            await self.session.execute(delete(table))
