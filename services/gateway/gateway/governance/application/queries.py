"""Read use cases: the caller's inbox, instances, histories, bodies, workflow definitions and the
audit log. Each takes a session and returns rows with the cursor of the next page (None at the
end); the routes shape them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_contracts.identity import Principal
from dgplan_shared.errors import invalid
from dgplan_shared.web.guards import text_fault
from dgplan_shared.web.pagination import decode_cursor, encode_cursor, page_of
from gateway.governance.adapters.audit_repository import AuditFilter, AuditRepository
from gateway.governance.adapters.bodies_repository import BodiesRepository
from gateway.governance.adapters.instances_repository import InstancesRepository
from gateway.governance.adapters.workflows_repository import WorkflowsRepository
from gateway.governance.domain.audit_chain import Verification

FAR_FUTURE = "9999-12-31T00:00:00Z"
# Keys beyond this cannot be ours (and overflow the database's integers).
_MAX_ID = 2**62


@dataclass(frozen=True)
class Rows:
    items: list[Any]
    next_cursor: str | None


@dataclass(frozen=True)
class InboxItem:
    instance: dict[str, Any]
    mode: str
    decisions: list[str]
    my_vote_cast: bool


def _refused() -> Exception:
    return invalid("cursor", "not a cursor this list returned")


def _after(cursor: str | None, *types: type) -> list[Any] | None:
    """The shared codec's sort key, also refused if no row of ours could carry it."""
    values = decode_cursor(cursor, *types)
    for value in values or ():
        if isinstance(value, str) and text_fault(value):
            raise _refused()
        if isinstance(value, int) and not 0 <= value < _MAX_ID:
            raise _refused()
    return values


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _aware(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _refused() from exc
    if parsed.tzinfo is None:
        raise _refused()
    return parsed


async def inbox(session: AsyncSession, principal: Principal, limit: int, cursor: str | None) -> Rows:
    """Active stages owned by the caller's bodies, soonest deadline first (no deadline last)."""
    after = _after(cursor, str, str)
    instances = InstancesRepository(session)

    def key(row: dict[str, Any]) -> tuple[str, str]:
        return (_iso(row["stage_due_at"]) or FAR_FUTURE, row["id"])

    rows = sorted(await instances.active_at(sorted(principal.bodies)), key=key)
    if after is not None:
        rows = [r for r in rows if key(r) > tuple(after)]
    page, next_cursor = page_of(rows[: limit + 1], limit, key)
    voted = await instances.voted(principal.subject, [r["id"] for r in page])
    workflows = WorkflowsRepository(session)
    items = []
    for row in page:
        definition = await workflows.get(row["workflow_key"], row["definition_version"])
        stage = definition.stage(row["stage"])
        assert stage is not None
        decisions = [d.name for d in stage.decisions]
        items.append(InboxItem(row, stage.mode, decisions, (row["id"], row["stage_entry"]) in voted))
    return Rows(items, next_cursor)


async def instances(session: AsyncSession, filters: dict[str, Any], limit: int, cursor: str | None) -> Rows:
    after = _after(cursor, str, str)
    rows = await InstancesRepository(session).page(
        filters, limit, (_aware(after[0]), after[1]) if after is not None else None
    )
    page, next_cursor = page_of(rows, limit, lambda r: [_iso(r["created_at"]), r["id"]])
    return Rows(page, next_cursor)


async def instance_with_votes(session: AsyncSession, instance_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One instance and the votes cast at its current stage entry."""
    repository = InstancesRepository(session)
    instance = await repository.get(instance_id)
    return instance, await repository.votes(instance_id, instance["stage_entry"])


async def history(session: AsyncSession, filters: dict[str, Any], limit: int, cursor: str | None) -> Rows:
    """Timeline entries in order: of one instance, one plan (version) or one screening round."""
    after = _after(cursor, int)
    rows = await InstancesRepository(session).timeline_page(filters, limit, after[0] if after else None)
    page, next_cursor = page_of(rows, limit, lambda r: [r["id"]])
    return Rows(page, next_cursor)


async def bodies(session: AsyncSession, limit: int, cursor: str | None) -> Rows:
    """Bodies in code order, each as (body, its members)."""
    after = _after(cursor, str)
    repository = BodiesRepository(session)
    rows = await repository.page(limit, after[0] if after else None)
    page, next_cursor = page_of(rows, limit, lambda b: [b["code"]])
    members = await repository.members_of([b["code"] for b in page])
    return Rows([(b, members.get(b["code"], [])) for b in page], next_cursor)


async def body(session: AsyncSession, code: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    repository = BodiesRepository(session)
    return await repository.get(code), await repository.members(code)


async def member(session: AsyncSession, code: str, subject: str) -> dict[str, Any] | None:
    return await BodiesRepository(session).member(code, subject)


async def workflows(session: AsyncSession) -> Rows:
    return Rows(await WorkflowsRepository(session).all(), None)


async def audit_entries(session: AsyncSession, *, limit: int, cursor: str | None, where: AuditFilter) -> Rows:
    """Audit entries in chain order (keyset on seq), narrowed by ``where``."""
    after = _after(cursor, int)
    rows = await AuditRepository(session).page(limit=limit, after=after[0] if after else None, where=where)
    page, next_cursor = page_of(rows, limit, lambda r: [r["seq"]])
    return Rows(page, next_cursor)


async def verify_audit(session: AsyncSession) -> Verification:
    return await AuditRepository(session).verify()
