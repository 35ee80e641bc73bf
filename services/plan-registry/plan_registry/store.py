"""Queries over the registry's tables: loading and writing one version's nodes in API shape."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.problems import not_found

from plan_registry.db.tables import agencies, node_links, node_roles, nodes, plan_versions, plans
from plan_registry.domain.canonical import canonical_json
from plan_registry.domain.hierarchy import NODE_TYPES

LINK_FIELDS = {"focus_area": "focus_area_ids", "target": "target_ids"}


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def plan_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "code": row.code,
        "title": {"th": row.title_th, "en": row.title_en},
        "start_fy": row.start_fy,
        "end_fy": row.end_fy,
        "predecessor_plan_id": row.predecessor_plan_id,
        "successor_plan_id": row.successor_plan_id,
        "latest_version_id": row.latest_version_id,
        "approved_version_id": row.approved_version_id,
    }


def version_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "plan_id": row.plan_id,
        "number": row.number,
        "status": row.status,
        "based_on_version_id": row.based_on_version_id,
        "submitted_by": row.submitted_by,
        "submitted_at": row.submitted_at.isoformat() if row.submitted_at else None,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "decided_by_body": row.decided_by_body,
        "frozen": row.status != "draft",
    }


async def get_plan(session: AsyncSession, plan_id: str) -> Any:
    row = (await session.execute(select(plans).where(plans.c.id == plan_id))).first()
    if row is None:
        raise not_found("plan", plan_id)
    return row


async def get_plan_for_update(session: AsyncSession, plan_id: str) -> Any:
    """Serialize writers of one plan (PostgreSQL row lock; SQLite locks the whole file anyway)."""
    row = (await session.execute(select(plans).where(plans.c.id == plan_id).with_for_update())).first()
    if row is None:
        raise not_found("plan", plan_id)
    return row


async def get_version(session: AsyncSession, plan_id: str, version_id: str) -> Any:
    row = (
        await session.execute(
            select(plan_versions).where(plan_versions.c.id == version_id, plan_versions.c.plan_id == plan_id)
        )
    ).first()
    if row is None:
        raise not_found("plan version", version_id)
    return row


async def get_version_by_id(session: AsyncSession, version_id: str) -> Any:
    row = (await session.execute(select(plan_versions).where(plan_versions.c.id == version_id))).first()
    if row is None:
        raise not_found("plan version", version_id)
    return row


async def list_versions(session: AsyncSession, plan_id: str) -> list[Any]:
    return list(
        (await session.execute(select(plan_versions).where(plan_versions.c.plan_id == plan_id).order_by(plan_versions.c.number))).all()
    )


async def existing_agencies(session: AsyncSession, codes: set[str]) -> set[str]:
    if not codes:
        return set()
    return set((await session.scalars(select(agencies.c.code).where(agencies.c.code.in_(codes)))).all())


def _node_from_row(row: Any, roles: list[dict[str, str]], links: dict[str, list[str]], types: dict[str, str]) -> dict[str, Any]:
    declared = None
    if row.node_type in ("plan", "strategy"):
        declared = {
            "measures": row.declared_measures,
            "work_plans": row.declared_work_plans,
            "projects": row.declared_projects,
        }
    node = {
        "id": row.node_id,
        "node_type": row.node_type,
        "parent_id": row.parent_id,
        "parent_type": types.get(row.parent_id) if row.parent_id else None,
        "strategy_id": row.strategy_id,
        "code": row.code,
        "position": row.position,
        "name": {"th": row.name_th, "en": row.name_en},
        "budget_framework": money(row.budget_framework),
        "start_fy": row.start_fy,
        "end_fy": row.end_fy,
        "status": row.status,
        "declared": declared,
        "attributes": json.loads(row.attributes),
        "roles": roles,
    }
    for link_type, field in LINK_FIELDS.items():
        node[field] = links.get(link_type, [])
    return node


async def load_nodes(
    session: AsyncSession, version_id: str, node_ids: list[str] | None = None
) -> list[dict[str, Any]]:
    """Nodes of one version (all, or the given ids), ordered by type rank, position, code."""
    query = select(nodes).where(nodes.c.version_id == version_id)
    role_q = select(node_roles).where(node_roles.c.version_id == version_id)
    link_q = select(node_links).where(node_links.c.version_id == version_id)
    if node_ids is not None:
        query = query.where(nodes.c.node_id.in_(node_ids))
        role_q = role_q.where(node_roles.c.node_id.in_(node_ids))
        link_q = link_q.where(node_links.c.node_id.in_(node_ids))
    rows = (await session.execute(query)).all()
    roles: dict[str, list[dict[str, str]]] = {}
    for r in (await session.execute(role_q)).all():
        roles.setdefault(r.node_id, []).append({"agency": r.agency_code, "role": r.role})
    links: dict[str, dict[str, list[str]]] = {}
    for r in (await session.execute(link_q)).all():
        links.setdefault(r.node_id, {}).setdefault(r.link_type, []).append(r.target_id)
    types = dict((await session.execute(select(nodes.c.node_id, nodes.c.node_type).where(nodes.c.version_id == version_id))).all())
    out = []
    for row in rows:
        node_roles_sorted = sorted(roles.get(row.node_id, []), key=lambda x: (x["role"], x["agency"]))
        node_links_sorted = {k: sorted(v) for k, v in links.get(row.node_id, {}).items()}
        out.append(_node_from_row(row, node_roles_sorted, node_links_sorted, types))
    rank = {t: i for i, t in enumerate(NODE_TYPES)}
    out.sort(key=lambda n: (rank.get(n["node_type"], 99), n["position"], n["code"]))
    return out


async def load_node(session: AsyncSession, version_id: str, node_id: str) -> dict[str, Any]:
    found = await load_nodes(session, version_id, [node_id])
    if not found:
        raise not_found("node", node_id)
    return found[0]


async def node_types(session: AsyncSession, version_id: str) -> dict[str, tuple[str, str | None, str | None]]:
    """node id -> (type, parent id, strategy id) for one version."""
    rows = (
        await session.execute(
            select(nodes.c.node_id, nodes.c.node_type, nodes.c.parent_id, nodes.c.strategy_id).where(
                nodes.c.version_id == version_id
            )
        )
    ).all()
    return {r.node_id: (r.node_type, r.parent_id, r.strategy_id) for r in rows}


def _declared_columns(declared: dict[str, Any] | None) -> dict[str, Any]:
    declared = declared or {}
    return {
        "declared_measures": declared.get("measures"),
        "declared_work_plans": declared.get("work_plans"),
        "declared_projects": declared.get("projects"),
    }


def node_row_values(version_id: str, node: dict[str, Any]) -> dict[str, Any]:
    bf = node.get("budget_framework")
    return {
        "version_id": version_id,
        "node_id": node["id"],
        "node_type": node["node_type"],
        "parent_id": node.get("parent_id"),
        "strategy_id": node.get("strategy_id"),
        "code": node["code"],
        "position": node.get("position") or 0,
        "name_th": node["name"]["th"],
        "name_en": node["name"]["en"],
        "budget_framework": None if bf is None else Decimal(bf),
        "start_fy": node.get("start_fy"),
        "end_fy": node.get("end_fy"),
        "status": node.get("status"),
        **_declared_columns(node.get("declared")),
        "attributes": canonical_json(node.get("attributes") or {}),
    }


async def insert_node(session: AsyncSession, version_id: str, node: dict[str, Any]) -> None:
    await session.execute(insert(nodes).values(**node_row_values(version_id, node)))
    await replace_roles_and_links(session, version_id, node)


async def update_node_row(session: AsyncSession, version_id: str, node: dict[str, Any]) -> None:
    values = node_row_values(version_id, node)
    await session.execute(
        update(nodes).where(nodes.c.version_id == version_id, nodes.c.node_id == node["id"]).values(**values)
    )
    await replace_roles_and_links(session, version_id, node)


async def replace_roles_and_links(session: AsyncSession, version_id: str, node: dict[str, Any]) -> None:
    key = (node_roles.c.version_id == version_id, node_roles.c.node_id == node["id"])
    await session.execute(delete(node_roles).where(*key))
    await session.execute(
        delete(node_links).where(node_links.c.version_id == version_id, node_links.c.node_id == node["id"])
    )
    unique_roles = {(r["agency"], r["role"]) for r in node.get("roles") or []}
    if unique_roles:
        await session.execute(
            insert(node_roles),
            [{"version_id": version_id, "node_id": node["id"], "agency_code": a, "role": r} for a, r in sorted(unique_roles)],
        )
    rows = []
    for link_type, field in LINK_FIELDS.items():
        for target in sorted(set(node.get(field) or [])):
            rows.append({"version_id": version_id, "node_id": node["id"], "link_type": link_type, "target_id": target})
    if rows:
        await session.execute(insert(node_links), rows)


async def delete_node_row(session: AsyncSession, version_id: str, node_id: str) -> None:
    await session.execute(delete(node_roles).where(node_roles.c.version_id == version_id, node_roles.c.node_id == node_id))
    await session.execute(delete(node_links).where(node_links.c.version_id == version_id, node_links.c.node_id == node_id))
    await session.execute(delete(nodes).where(nodes.c.version_id == version_id, nodes.c.node_id == node_id))


async def copy_version_content(session: AsyncSession, from_version: str, to_version: str) -> None:
    await bulk_insert_nodes(session, to_version, await load_nodes(session, from_version))


async def bulk_insert_nodes(session: AsyncSession, to_version: str, content: list[dict[str, Any]]) -> None:
    """Three bulk inserts: a revision or an import of a large plan stays one quick transaction."""
    if not content:
        return
    await session.execute(insert(nodes), [node_row_values(to_version, n) for n in content])
    roles = [
        {"version_id": to_version, "node_id": n["id"], "agency_code": r["agency"], "role": r["role"]}
        for n in content for r in n["roles"]
    ]
    if roles:
        await session.execute(insert(node_roles), roles)
    links = [
        {"version_id": to_version, "node_id": n["id"], "link_type": link_type, "target_id": t}
        for n in content for link_type, field in LINK_FIELDS.items() for t in n[field]
    ]
    if links:
        await session.execute(insert(node_links), links)


async def next_position(session: AsyncSession, version_id: str, parent_id: str | None, node_type: str) -> int:
    q = select(func.max(nodes.c.position)).where(nodes.c.version_id == version_id, nodes.c.node_type == node_type)
    q = q.where(nodes.c.parent_id.is_(None) if parent_id is None else nodes.c.parent_id == parent_id)
    current = await session.scalar(q)
    return (current or 0) + 1
