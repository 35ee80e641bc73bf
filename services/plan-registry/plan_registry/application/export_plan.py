"""The whole plan as canonical JSON: every version, its observations and the agencies it uses.
Export -> import -> export is byte-identical."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal, require_role
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.adapters.plan_repository import plan_dict, version_dict
from plan_registry.application.repositories import Repositories, repositories
from plan_registry.domain.access import EDITORS
from plan_registry.domain.canonical import canonical_bytes
from plan_registry.domain.plan_document import FORMAT

EXPORTED_NODE_FIELDS = (
    "id", "node_type", "parent_id", "code", "position", "name", "budget_framework", "start_fy", "end_fy",
    "status", "declared", "attributes", "roles", "focus_area_ids", "target_ids", "contributes_to",
    "continues_project_id",
)
VERSION_FIELDS = ("id", "number", "status", "based_on_version_id", "submitted_by", "submitted_at", "decided_at", "decided_by_body")


def plan_content(node: dict[str, Any]) -> dict[str, Any]:
    """A node as the plan document holds it: the demo layer's roles are not the plan's content."""
    out = {k: node[k] for k in EXPORTED_NODE_FIELDS}
    out["roles"] = [r for r in node["roles"] if not r.get("demo")]
    return out


@dataclass(frozen=True)
class ExportPlan:
    principal: Principal
    plan_id: str


async def export_document(repos: Repositories, plan_id: str) -> dict[str, Any]:
    plan = plan_dict(await repos.plans.get(plan_id))
    versions = []
    for row in await repos.plans.list_versions(plan_id):
        v = version_dict(row)
        content = await repos.nodes.load_nodes(row.id)
        versions.append({**{k: v[k] for k in VERSION_FIELDS}, "nodes": [plan_content(n) for n in content]})
    used = await repos.nodes.agencies_used([v["id"] for v in versions])
    known = await repos.agencies.all()
    # Parents of used agencies travel with them so the import finds every reference.
    pending, wanted = list(used), set()
    while pending:
        code = pending.pop()
        if code in wanted or code not in known:
            continue
        wanted.add(code)
        if known[code]["parent_code"]:
            pending.append(known[code]["parent_code"])
    observations = []
    for o in await repos.observations.of_plan(plan_id):
        o.pop("plan_id")
        observations.append(o)
    return {
        "format": FORMAT,
        "agencies": [known[c] for c in sorted(wanted)],
        "plan": plan,
        "versions": versions,
        "observations": sorted(observations, key=lambda o: (o["created_at"], o["id"])),
    }


async def handle(command: ExportPlan, uow: UnitOfWork) -> bytes:
    require_role(command.principal, *EDITORS)
    return canonical_bytes(await export_document(repositories(uow), command.plan_id)) + b"\n"
