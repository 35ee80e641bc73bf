"""Reads with visibility rules applied: plans, versions, nodes, completeness, diff."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select

from dgplan_shared.db.uow import UnitOfWork
from dgplan_contracts.identity import Principal
from dgplan_shared.problems import invalid

from plan_registry import store
from plan_registry.db.tables import plan_versions, plans
from plan_registry.domain.completeness import completeness
from plan_registry.domain.diff import diff_versions
from plan_registry.domain.text import nfc
from plan_registry.usecases.access import is_privileged_reader, version_visibility, visible_nodes
from plan_registry.usecases.search import decode_cursor, encode_cursor


async def plan_view(uow: UnitOfWork, principal: Principal | None, plan_id: str) -> dict[str, Any]:
    row = await store.get_plan(uow.session, plan_id)
    if row.approved_version_id is None:
        version_visibility(principal, "draft")  # raises for the public
    plan = store.plan_dict(row)
    latest = await store.get_version(uow.session, plan_id, row.latest_version_id)
    plan["latest_version_status"] = latest.status
    return plan


async def version_for_read(uow: UnitOfWork, principal: Principal | None, plan_id: str, version_id: str | None) -> Any:
    """The named version, or by default the one the caller should see (approved for the public)."""
    plan = await store.get_plan(uow.session, plan_id)
    if version_id is None:
        version_id = plan.latest_version_id if is_privileged_reader(principal) or plan.approved_version_id is None else plan.approved_version_id
    version = await store.get_version(uow.session, plan_id, version_id)
    version_visibility(principal, version.status)
    return version


async def version_nodes(uow: UnitOfWork, principal: Principal | None, plan_id: str, version_id: str | None) -> tuple[Any, list[dict[str, Any]]]:
    version = await version_for_read(uow, principal, plan_id, version_id)
    content = await store.load_nodes(uow.session, version.id)
    return version, visible_nodes(principal, version.status, content)


async def completeness_report(uow: UnitOfWork, principal: Principal | None, plan_id: str, version_id: str | None) -> dict[str, Any]:
    version = await version_for_read(uow, principal, plan_id, version_id)
    content = await store.load_nodes(uow.session, version.id)  # counts are not secret: all nodes
    return {"plan_id": plan_id, "version_id": version.id, "version_number": version.number, **completeness(content)}


async def diff(uow: UnitOfWork, principal: Principal | None, plan_id: str, from_id: str, to_id: str) -> dict[str, Any]:
    a = await version_for_read(uow, principal, plan_id, from_id)
    b = await version_for_read(uow, principal, plan_id, to_id)
    before = visible_nodes(principal, a.status, await store.load_nodes(uow.session, a.id))
    after = visible_nodes(principal, b.status, await store.load_nodes(uow.session, b.id))
    return diff_versions(
        {"version_id": a.id, "number": a.number, "status": a.status},
        {"version_id": b.id, "number": b.number, "status": b.status},
        before, after,
    )


async def list_plans(
    uow: UnitOfWork, principal: Principal | None, *, fiscal_year: int | None, status: str | None, q: str | None,
    limit: int, cursor: str | None, sort: str = "code",
) -> dict[str, Any]:
    if limit < 1 or limit > 200:
        raise invalid("limit", "between 1 and 200")
    latest = plan_versions.alias("latest")
    query = select(plans, latest.c.status.label("latest_status")).join(latest, latest.c.id == plans.c.latest_version_id)
    if not is_privileged_reader(principal):
        query = query.where(plans.c.approved_version_id.is_not(None))
    if fiscal_year is not None:
        query = query.where(plans.c.start_fy <= fiscal_year, plans.c.end_fy >= fiscal_year)
    if status:
        query = query.where(latest.c.status == status)
    if q:
        needle = nfc(q).lower()
        query = query.where(or_(*(func.lower(c).contains(needle, autoescape=True) for c in (plans.c.code, plans.c.title_th, plans.c.title_en))))
    descending = sort.startswith("-")
    key = {"code": plans.c.code, "start_fy": plans.c.start_fy}.get(sort.lstrip("-"))
    if key is None:
        raise invalid("sort", "one of code, -code, start_fy, -start_fy")
    if cursor:
        raw_key, code, _ = decode_cursor(cursor)
        try:
            value = int(raw_key) if key is plans.c.start_fy else raw_key
        except ValueError as exc:
            raise invalid("cursor", "not a cursor this API returned") from exc
        beyond = key < value if descending else key > value
        query = query.where(or_(beyond, and_(key == value, plans.c.code > code)))
    ordering = (key.desc() if descending else key.asc(), plans.c.code)
    rows = (await uow.session.execute(query.order_by(*ordering).limit(limit + 1))).all()
    items = [{**store.plan_dict(r), "latest_version_status": r.latest_status} for r in rows[:limit]]
    more = len(rows) > limit
    last = items[-1] if items else None
    cursor_key = str(last["start_fy"] if key is plans.c.start_fy else last["code"]) if last else ""
    return {"items": items, "next_cursor": encode_cursor([cursor_key, last["code"], ""]) if more and last else None}
