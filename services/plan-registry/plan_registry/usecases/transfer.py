"""Whole-plan export and import as canonical JSON: export -> import -> export is byte-identical,
and importing a plan that is already here, unchanged, changes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.problems import ProblemError, conflict, invalid

from plan_registry import store
from plan_registry.db.tables import agencies, node_roles, nodes, observations, plan_versions, plans
from plan_registry.domain.canonical import canonical_bytes
from plan_registry.domain.hierarchy import NODE_TYPES, check_period
from plan_registry.events import PLAN_DRAFTED, STRUCTURE_PUBLISHED, VERSION_APPROVED, VERSION_CREATED
from plan_registry.events.payloads import plan_drafted, structure_published, version_approved, version_created
from plan_registry.usecases.node_events import project_event_data
from plan_registry.events import PROJECT_REGISTERED
from plan_registry.usecases.node_rules import Shape, check_node
from plan_registry.usecases.observations import observation_dict
from plan_registry.usecases.transfer_schema import FORMAT, PlanDocument

_EXPORTED_NODE_FIELDS = (
    "id", "node_type", "parent_id", "code", "position", "name", "budget_framework", "start_fy", "end_fy",
    "status", "declared", "attributes", "roles", "focus_area_ids", "target_ids",
)
_VERSION_FIELDS = ("id", "number", "status", "based_on_version_id", "submitted_by", "submitted_at", "decided_at", "decided_by_body")


async def export_document(uow: UnitOfWork, plan_id: str) -> dict[str, Any]:
    session = uow.session
    plan = store.plan_dict(await store.get_plan(session, plan_id))
    versions = []
    for row in await store.list_versions(session, plan_id):
        v = store.version_dict(row)
        content = await store.load_nodes(session, row.id)
        versions.append({**{k: v[k] for k in _VERSION_FIELDS}, "nodes": [{k: n[k] for k in _EXPORTED_NODE_FIELDS} for n in content]})
    used = set(
        (await session.scalars(
            select(node_roles.c.agency_code).where(node_roles.c.version_id.in_([v["id"] for v in versions]))
        )).all()
    )
    agency_rows = {r.code: r for r in (await session.execute(select(agencies))).all()}
    # Parents of used agencies travel with them so the import finds every reference.
    pending, wanted = list(used), set()
    while pending:
        code = pending.pop()
        if code in wanted or code not in agency_rows:
            continue
        wanted.add(code)
        if agency_rows[code].parent_code:
            pending.append(agency_rows[code].parent_code)
    obs_rows = (await session.execute(select(observations).where(observations.c.plan_id == plan_id))).all()
    obs = []
    for r in obs_rows:
        d = observation_dict(r)
        d.pop("plan_id")
        obs.append(d)
    return {
        "format": FORMAT,
        "agencies": [
            {"code": c, "name": {"th": agency_rows[c].name_th, "en": agency_rows[c].name_en}, "parent_code": agency_rows[c].parent_code}
            for c in sorted(wanted)
        ],
        "plan": plan,
        "versions": versions,
        "observations": sorted(obs, key=lambda o: (o["created_at"], o["id"])),
    }


async def export_bytes(uow: UnitOfWork, plan_id: str) -> bytes:
    return canonical_bytes(await export_document(uow, plan_id)) + b"\n"


def _when(value: str | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise invalid(field, "not an ISO 8601 date-time") from exc
    if parsed.tzinfo is None:
        raise invalid(field, "needs a UTC offset")
    return parsed


def canonical_order(data: dict[str, Any]) -> dict[str, Any]:
    """The order export uses, so that a document listing the same content differently is the same."""
    rank = {t: i for i, t in enumerate(NODE_TYPES)}
    for v in data["versions"]:
        for n in v["nodes"]:
            n["roles"] = sorted(n["roles"], key=lambda r: (r["role"], r["agency"]))
            n["focus_area_ids"] = sorted(set(n["focus_area_ids"]))
            n["target_ids"] = sorted(set(n["target_ids"]))
        v["nodes"].sort(key=lambda n: (rank[n["node_type"]], n["position"], n["code"]))
    data["versions"].sort(key=lambda v: v["number"])
    data["agencies"].sort(key=lambda a: a["code"])
    data["observations"].sort(key=lambda o: (o["created_at"], o["id"]))
    return data


async def import_document(uow: UnitOfWork, doc: PlanDocument) -> tuple[str, dict[str, Any]]:
    """Returns ('created' | 'unchanged', plan). A different plan under an existing code is refused."""
    session = uow.session
    data = canonical_order(doc.model_dump(mode="json"))
    plan = data["plan"]
    existing = (await session.execute(select(plans.c.id).where(plans.c.code == plan["code"]))).first()
    if existing is not None:
        if existing.id == plan["id"] and canonical_bytes(await export_document(uow, existing.id)) == canonical_bytes(data):
            return "unchanged", store.plan_dict(await store.get_plan(session, existing.id))
        raise conflict(
            "plan-exists", f"A different plan {plan['code']!r} is already registered; revise it instead of importing.",
            errors=[{"field": "plan.code", "message": "already registered with other content"}],
        )
    if (await session.execute(select(plans.c.id).where(plans.c.id == plan["id"]))).first() is not None:
        raise conflict("plan-exists", "A plan with this id exists under another code.", errors=[{"field": "plan.id", "message": "taken"}])
    check_period(plan["start_fy"], plan["end_fy"], "plan.start_fy", "plan.end_fy")
    version_ids = [v["id"] for v in data["versions"]]
    if len(set(version_ids)) != len(version_ids) or plan["latest_version_id"] not in version_ids:
        raise invalid("plan.latest_version_id", "must name one of the document's versions; version ids must be unique")
    if plan["approved_version_id"] not in (None, *version_ids):
        raise invalid("plan.approved_version_id", "must name one of the document's versions")
    taken = (await session.execute(select(plan_versions.c.id).where(plan_versions.c.id.in_(version_ids)))).first()
    if taken is not None:
        raise conflict("version-exists", f"Version id {taken.id} is already used.", errors=[{"field": "versions.id", "message": "taken"}])

    node_ids = sorted({n["id"] for v in data["versions"] for n in v["nodes"]})
    reused = (await session.execute(select(nodes.c.node_id).where(nodes.c.node_id.in_(node_ids)).limit(1))).first()
    if reused is not None:
        # Node ids identify a node across versions of ONE plan; another plan must bring its own.
        raise conflict("node-exists", f"Node id {reused.node_id} belongs to another plan.",
                       errors=[{"field": "versions.nodes.id", "message": "used by another plan"}])
    known = {r.code: r for r in (await session.execute(select(agencies))).all()}
    known_codes = set(known) | {a["code"] for a in data["agencies"]}
    for a in sorted(data["agencies"], key=lambda a: a["parent_code"] is not None):
        if a["code"] not in known:
            await session.execute(
                insert(agencies).values(code=a["code"], name_th=a["name"]["th"], name_en=a["name"]["en"],
                                        parent_code=a["parent_code"], created_at=utcnow())
            )
    now = utcnow()
    await session.execute(
        insert(plans).values(
            id=plan["id"], code=plan["code"], title_th=plan["title"]["th"], title_en=plan["title"]["en"],
            start_fy=plan["start_fy"], end_fy=plan["end_fy"], predecessor_plan_id=plan["predecessor_plan_id"],
            successor_plan_id=plan["successor_plan_id"], latest_version_id=plan["latest_version_id"],
            approved_version_id=plan["approved_version_id"], created_at=now,
        )
    )
    rank = {t: i for i, t in enumerate(NODE_TYPES)}
    for vi, v in enumerate(sorted(data["versions"], key=lambda v: v["number"])):
        await session.execute(
            insert(plan_versions).values(
                id=v["id"], plan_id=plan["id"], number=v["number"], status=v["status"],
                based_on_version_id=v["based_on_version_id"], submitted_by=v["submitted_by"],
                submitted_at=_when(v["submitted_at"], f"versions[{vi}].submitted_at"),
                decided_at=_when(v["decided_at"], f"versions[{vi}].decided_at"),
                decided_by_body=v["decided_by_body"], created_at=now,
            )
        )
        roots = [n for n in v["nodes"] if n["node_type"] == "plan"]
        if len(roots) != 1 or roots[0]["id"] != plan["id"]:
            raise invalid(f"versions[{vi}].nodes", "needs exactly one node of type plan, with the plan's id")
        by_id = {n["id"]: n for n in v["nodes"]}
        shape: Shape = {}
        codes: dict[str, str] = {}
        ready = []
        # Parents before children (type rank), validated in memory, then inserted in bulk.
        for n in sorted(v["nodes"], key=lambda n: (rank[n["node_type"]], n["position"], n["code"])):
            node = dict(n)
            parent = by_id.get(node["parent_id"] or "")
            while parent is not None and parent["node_type"] != "strategy":
                parent = by_id.get(parent["parent_id"] or "")
            node["strategy_id"] = node["id"] if node["node_type"] == "strategy" else (parent or {}).get("id")
            try:
                if node["node_type"] != "plan":
                    check_node(node, shape, codes, known_codes)
            except ProblemError as exc:
                for e in exc.extensions.get("errors", []):
                    e["field"] = f"versions[{vi}].nodes[{node['code']}].{e['field']}"
                raise
            shape[node["id"]] = (node["node_type"], node["parent_id"], node["strategy_id"])
            codes[node["code"]] = node["id"]
            ready.append(node)
        await store.bulk_insert_nodes(session, v["id"], ready)
    for oi, o in enumerate(data["observations"]):
        if o["version_id"] not in version_ids:
            raise invalid(f"observations[{oi}].version_id", "must name one of the document's versions")
        await session.execute(
            insert(observations).values(
                id=o["id"], plan_id=plan["id"], version_id=o["version_id"], node_id=o["node_id"],
                raised_by_body=o["raised_by_body"], external_ref=o["external_ref"], text_th=o["text"]["th"],
                text_en=o["text"]["en"], status=o["status"],
                response_th=(o["response"] or {}).get("th"), response_en=(o["response"] or {}).get("en"),
                responded_by=o["responded_by"], resolution_reason=o["resolution_reason"],
                created_at=_when(o["created_at"], f"observations[{oi}].created_at"),
            )
        )
    created = store.plan_dict(await store.get_plan(session, plan["id"]))
    await _announce(uow, created)
    return "created", created


async def _announce(uow: UnitOfWork, plan: dict[str, Any]) -> None:
    """Other services learn of an imported plan as of a drafted one, with its projects."""
    session = uow.session
    await uow.publish(PLAN_DRAFTED, plan["id"], plan_drafted(plan))
    effective = plan["approved_version_id"] or plan["latest_version_id"]
    content = await store.load_nodes(session, effective)
    for row in await store.list_versions(session, plan["id"]):
        version = store.version_dict(row)
        await uow.publish(VERSION_CREATED, plan["id"], version_created(version))
        if version["id"] == plan["approved_version_id"]:
            # An imported plan may come already approved (the seed was approved by the Cabinet on
            # 30 March B.E. 2564): say so, as a governance approval would, so that what depends on
            # approval (public scorecards) treats it the same way.
            await uow.publish(VERSION_APPROVED, plan["id"], version_approved(version, content))
    await uow.publish(STRUCTURE_PUBLISHED, plan["id"], structure_published(plan, effective, content))
    for node in content:
        if node["node_type"] == "project":
            await uow.publish(PROJECT_REGISTERED, node["id"], await project_event_data(uow, plan["id"], effective, node))
