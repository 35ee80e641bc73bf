"""Node lists: filters, Thai or English substring search, sort, and keyset (cursor) pagination."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.problems import invalid

from plan_registry import store
from plan_registry.db.tables import node_links, node_roles, nodes, plan_versions
from plan_registry.domain.text import nfc

SORTS = {"code": nodes.c.code, "name.th": nodes.c.name_th, "name.en": nodes.c.name_en}


@dataclass
class NodeFilters:
    node_type: str | None = None
    strategy: str | None = None  # id or code
    agency: str | None = None
    role: str | None = None
    focus_area: str | None = None  # id or code
    status: str | None = None
    fiscal_year: int | None = None
    q: str | None = None
    only_agency: str | None = None  # visibility: nodes this agency holds a role on


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, ensure_ascii=False).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not (isinstance(values, list) and len(values) == 3 and all(isinstance(v, str) for v in values)):
            raise ValueError
        return values
    except ValueError as exc:
        raise invalid("cursor", "not a cursor this API returned") from exc


def _by_id_or_code(column, value: str):  # type: ignore[no-untyped-def]
    other = nodes.alias("ref")
    return or_(column == value, column.in_(select(other.c.node_id).where(other.c.code == value)))


def _like(column, q: str):  # type: ignore[no-untyped-def]
    return func.lower(column).contains(q.lower(), autoescape=True)


async def list_nodes(
    session: AsyncSession, version_ids: list[str], f: NodeFilters, sort: str, limit: int, cursor: str | None
) -> dict[str, Any]:
    if limit < 1 or limit > 200:
        raise invalid("limit", "between 1 and 200")
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"))
    if key is None:
        raise invalid("sort", f"one of {', '.join(s for k in SORTS for s in (k, '-' + k))}")
    query = select(nodes.c.version_id, nodes.c.node_id, key.label("sort_key")).where(nodes.c.version_id.in_(version_ids))
    if f.node_type:
        query = query.where(nodes.c.node_type == f.node_type)
    if f.strategy:
        query = query.where(_by_id_or_code(nodes.c.strategy_id, f.strategy))
    if f.status:
        query = query.where(nodes.c.status == f.status)
    if f.fiscal_year is not None:
        query = query.where(nodes.c.start_fy <= f.fiscal_year, nodes.c.end_fy >= f.fiscal_year)
    same_node = and_(node_roles.c.version_id == nodes.c.version_id, node_roles.c.node_id == nodes.c.node_id)
    if f.agency or f.role:
        conds = [same_node]
        if f.agency:
            conds.append(node_roles.c.agency_code == f.agency)
        if f.role:
            conds.append(node_roles.c.role == f.role)
        query = query.where(exists(select(node_roles.c.node_id).where(*conds)))
    if f.only_agency:
        query = query.where(exists(select(node_roles.c.node_id).where(same_node, node_roles.c.agency_code == f.only_agency)))
    if f.focus_area:
        query = query.where(
            exists(
                select(node_links.c.node_id).where(
                    node_links.c.version_id == nodes.c.version_id, node_links.c.node_id == nodes.c.node_id,
                    node_links.c.link_type == "focus_area", _by_id_or_code(node_links.c.target_id, f.focus_area),
                )
            )
        )
    if f.q:
        q = nfc(f.q)
        query = query.where(or_(_like(nodes.c.name_th, q), _like(nodes.c.name_en, q), _like(nodes.c.code, q)))
    if cursor:
        c_key, c_version, c_node = decode_cursor(cursor)
        after_tie = tuple_(nodes.c.version_id, nodes.c.node_id) > tuple_(c_version, c_node)
        query = query.where(or_(key < c_key if descending else key > c_key, and_(key == c_key, after_tie)))
    query = query.order_by(key.desc() if descending else key.asc(), nodes.c.version_id, nodes.c.node_id).limit(limit + 1)
    rows = (await session.execute(query)).all()
    page, more = rows[:limit], len(rows) > limit
    items = []
    versions_seen = list(dict.fromkeys(r.version_id for r in page))
    plan_of = dict(
        (await session.execute(select(plan_versions.c.id, plan_versions.c.plan_id).where(plan_versions.c.id.in_(versions_seen)))).all()
    )
    for version_id in versions_seen:
        ids = [r.node_id for r in page if r.version_id == version_id]
        loaded = {n["id"]: {**n, "plan_id": plan_of[version_id], "version_id": version_id} for n in await store.load_nodes(session, version_id, ids)}
        items.extend(loaded[i] for i in ids)
    # Restore page order (load_nodes groups by version).
    order = {(r.version_id, r.node_id): i for i, r in enumerate(page)}
    items.sort(key=lambda n: order[(n["version_id"], n["id"])])
    last = page[-1] if page else None
    return {
        "items": items,
        "next_cursor": encode_cursor([last.sort_key, last.version_id, last.node_id]) if more and last else None,
    }
