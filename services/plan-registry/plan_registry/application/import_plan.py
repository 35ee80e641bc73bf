"""Import a whole-plan document: a new plan is created with its ids; the identical document again
is 'unchanged'; different content under an existing code is refused (revise instead)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dgplan_contracts.identity import Principal, require_role
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError, conflict, invalid

from plan_registry.adapters.plan_repository import plan_dict, plan_values, version_dict
from plan_registry.application.export_plan import export_document
from plan_registry.application.framework_links import check_framework_links
from plan_registry.application.node_writes import project_event_data
from plan_registry.application.plan_links import check_plan_links
from plan_registry.application.project_continuity import check_continues
from plan_registry.application.repositories import Repositories, repositories
from plan_registry.application.structure_event import structure_event
from plan_registry.domain.access import EDITORS
from plan_registry.domain.alignment import sorted_links
from plan_registry.domain.canonical import canonical_bytes
from plan_registry.domain.hierarchy import NODE_TYPES, check_period
from plan_registry.domain.node_rules import Shape, check_node
from plan_registry.domain.plan_document import PlanDocument
from plan_registry.events.types import PLAN_DRAFTED, PROJECT_REGISTERED, STRUCTURE_PUBLISHED, VERSION_APPROVED, VERSION_CREATED
from plan_registry.events.payloads import plan_drafted, version_approved, version_created


@dataclass(frozen=True)
class ImportPlan:
    principal: Principal
    document: PlanDocument


@dataclass(frozen=True)
class Imported:
    outcome: str  # created | unchanged
    plan: dict[str, Any]


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
            n["contributes_to"] = sorted_links(n["contributes_to"])
        v["nodes"].sort(key=lambda n: (rank[n["node_type"]], n["position"], n["code"]))
    data["versions"].sort(key=lambda v: v["number"])
    data["agencies"].sort(key=lambda a: a["code"])
    data["observations"].sort(key=lambda o: (o["created_at"], o["id"]))
    return data


async def _checked_nodes(
    repos: Repositories, vi: int, version: dict[str, Any], known_codes: set[str], period: tuple[int, int],
    predecessor_plan_id: str | None,
) -> list[dict[str, Any]]:
    """A version's nodes, parents before children (type rank), validated in memory; their links to
    frameworks and to the predecessor plan's projects against what the registry holds."""
    rank = {t: i for i, t in enumerate(NODE_TYPES)}
    by_id = {n["id"]: n for n in version["nodes"]}
    shape: Shape = {}
    codes: dict[str, str] = {}
    ready = []
    for n in sorted(version["nodes"], key=lambda n: (rank[n["node_type"]], n["position"], n["code"])):
        node = dict(n)
        parent = by_id.get(node["parent_id"] or "")
        while parent is not None and parent["node_type"] != "strategy":
            parent = by_id.get(parent["parent_id"] or "")
        node["strategy_id"] = node["id"] if node["node_type"] == "strategy" else (parent or {}).get("id")
        try:
            if node["node_type"] != "plan":
                check_node(node, shape, codes, known_codes, period)
            await check_framework_links(repos, node["contributes_to"])
            await check_continues(repos, predecessor_plan_id, node)
        except ProblemError as exc:
            for e in exc.extensions.get("errors", []):
                e["field"] = f"versions[{vi}].nodes[{node['code']}].{e['field']}"
            raise
        shape[node["id"]] = (node["node_type"], node["parent_id"], node["strategy_id"])
        codes[node["code"]] = node["id"]
        ready.append(node)
    return ready


async def import_document(uow: UnitOfWork, repos: Repositories, doc: PlanDocument, imported_by: str) -> Imported:
    """``imported_by``: who the imported observations' history names (the caller, or the seed)."""
    data = canonical_order(doc.model_dump(mode="json"))
    plan = data["plan"]
    existing = await repos.plans.id_by_code(plan["code"])
    if existing is not None:
        if existing == plan["id"] and canonical_bytes(await export_document(repos, existing)) == canonical_bytes(data):
            return Imported("unchanged", plan_dict(await repos.plans.get(existing)))
        raise conflict(
            "plan-exists", f"A different plan {plan['code']!r} is already registered; revise it instead of importing.",
            errors=[{"field": "plan.code", "message": "already registered with other content"}],
        )
    if await repos.plans.exists(plan["id"]):
        raise conflict("plan-exists", "A plan with this id exists under another code.", errors=[{"field": "plan.id", "message": "taken"}])
    check_period(plan["start_fy"], plan["end_fy"], "plan.start_fy", "plan.end_fy")
    # A plan continuing another names it: it must exist, and the chain must not loop (as on create).
    await check_plan_links(repos, plan["id"], plan["predecessor_plan_id"], plan["successor_plan_id"])
    version_ids = [v["id"] for v in data["versions"]]
    if len(set(version_ids)) != len(version_ids) or plan["latest_version_id"] not in version_ids:
        raise invalid("plan.latest_version_id", "must name one of the document's versions; version ids must be unique")
    if plan["approved_version_id"] not in (None, *version_ids):
        raise invalid("plan.approved_version_id", "must name one of the document's versions")
    taken = await repos.plans.first_taken_version_id(version_ids)
    if taken is not None:
        raise conflict("version-exists", f"Version id {taken} is already used.", errors=[{"field": "versions.id", "message": "taken"}])
    reused = await repos.nodes.first_taken_id(sorted({n["id"] for v in data["versions"] for n in v["nodes"]}))
    if reused is not None:
        # Node ids identify a node across versions of ONE plan; another plan must bring its own.
        raise conflict("node-exists", f"Node id {reused} belongs to another plan.",
                       errors=[{"field": "versions.nodes.id", "message": "used by another plan"}])
    known = await repos.agencies.all()
    known_codes = set(known) | {a["code"] for a in data["agencies"]}
    for a in sorted(data["agencies"], key=lambda a: a["parent_code"] is not None):
        if a["code"] not in known:
            await repos.agencies.add(a)
    now = utcnow()
    await repos.plans.add({
        "id": plan["id"], **plan_values(plan), "latest_version_id": plan["latest_version_id"],
        "approved_version_id": plan["approved_version_id"], "created_at": now,
    })
    for vi, v in enumerate(sorted(data["versions"], key=lambda v: v["number"])):
        await repos.plans.add_version({
            "id": v["id"], "plan_id": plan["id"], "number": v["number"], "status": v["status"],
            "based_on_version_id": v["based_on_version_id"], "submitted_by": v["submitted_by"],
            "submitted_at": _when(v["submitted_at"], f"versions[{vi}].submitted_at"),
            "decided_at": _when(v["decided_at"], f"versions[{vi}].decided_at"),
            "decided_by_body": v["decided_by_body"], "created_at": now,
        })
        roots = [n for n in v["nodes"] if n["node_type"] == "plan"]
        if len(roots) != 1 or roots[0]["id"] != plan["id"]:
            raise invalid(f"versions[{vi}].nodes", "needs exactly one node of type plan, with the plan's id")
        checked = await _checked_nodes(repos, vi, v, known_codes, (plan["start_fy"], plan["end_fy"]),
                                       plan["predecessor_plan_id"])
        await repos.nodes.bulk_insert(v["id"], checked)
    for oi, o in enumerate(data["observations"]):
        if o["version_id"] not in version_ids:
            raise invalid(f"observations[{oi}].version_id", "must name one of the document's versions")
        await repos.observations.add({
            "id": o["id"], "plan_id": plan["id"], "version_id": o["version_id"], "node_id": o["node_id"],
            "raised_by_body": o["raised_by_body"], "external_ref": o["external_ref"], "text_th": o["text"]["th"],
            "text_en": o["text"]["en"], "status": o["status"],
            "response_th": (o["response"] or {}).get("th"), "response_en": (o["response"] or {}).get("en"),
            "responded_by": o["responded_by"], "resolution_reason": o["resolution_reason"],
            "created_at": _when(o["created_at"], f"observations[{oi}].created_at"),
        })
        # The document carries an observation's state, not its history: its history here starts
        # with the import, in the state the document gives.
        await repos.observations.add_history({"observation_id": o["id"], "at": now, "actor": imported_by,
                                              "action": "imported", "status": o["status"],
                                              "text": o["response"], "reason": o["resolution_reason"]})
    created = plan_dict(await repos.plans.get(plan["id"]))
    await _announce(uow, repos, created)
    return Imported("created", created)


async def _announce(uow: UnitOfWork, repos: Repositories, plan: dict[str, Any]) -> None:
    """Other services learn of an imported plan as of a drafted one, with its projects."""
    await uow.publish(PLAN_DRAFTED, plan["id"], plan_drafted(plan))
    effective = plan["approved_version_id"] or plan["latest_version_id"]
    content = await repos.nodes.load_nodes(effective)
    for row in await repos.plans.list_versions(plan["id"]):
        version = version_dict(row)
        await uow.publish(VERSION_CREATED, plan["id"], version_created(version))
        if version["id"] == plan["approved_version_id"]:
            # An imported plan may come already approved (the seed was approved by the Cabinet on
            # 30 March B.E. 2564): say so, as a governance approval would, so that what depends on
            # approval (public scorecards) treats it the same way.
            await uow.publish(VERSION_APPROVED, plan["id"], version_approved(version, content))
    await uow.publish(STRUCTURE_PUBLISHED, plan["id"], await structure_event(repos, plan, effective, content))
    by_id = {n["id"]: n for n in content}
    for node in content:
        if node["node_type"] == "project":
            data = await project_event_data(repos, plan["id"], effective, node, by_id)
            await uow.publish(PROJECT_REGISTERED, node["id"], data)


async def handle(command: ImportPlan, uow: UnitOfWork) -> Imported:
    require_role(command.principal, *EDITORS)
    return await import_document(uow, repositories(uow), command.document, command.principal.subject)
