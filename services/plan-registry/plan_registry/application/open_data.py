"""Open-data export: one CSV per kind of record plus a Frictionless ``datapackage.json``, zipped.

The package declares its keys, references and field constraints, so ``frictionless validate``
checks that every role names a node and an agency of the package, every parent exists, and
codes, types, years and amounts are what the registry allows."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from dgplan_contracts.fiscal import FY_MAX, FY_MIN
from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.adapters.plan_repository import plan_dict
from plan_registry.application.repositories import repositories
from plan_registry.application.visibility import version_for_read
from plan_registry.domain.access import visible_nodes
from plan_registry.domain.hierarchy import NODE_TYPES, PROJECT_STATUSES, ROLES

Field = tuple[str, str, dict[str, Any]]  # name, Table Schema type, constraints

_YEAR = {"minimum": FY_MIN, "maximum": FY_MAX}
_COUNT = {"minimum": 0}
_NODE_FIELDS: list[Field] = [
    ("id", "string", {"required": True, "unique": True}), ("node_type", "string", {"required": True, "enum": list(NODE_TYPES)}),
    ("parent_id", "string", {}), ("strategy_id", "string", {}), ("code", "string", {"required": True, "unique": True}),
    ("position", "integer", {"required": True, "minimum": 0}), ("name_th", "string", {"required": True}),
    ("name_en", "string", {"required": True}), ("budget_framework_baht", "number", {"minimum": 0}),
    ("start_fy_be", "integer", _YEAR), ("end_fy_be", "integer", _YEAR),
    ("status", "string", {"enum": list(PROJECT_STATUSES)}), ("declared_measures", "integer", _COUNT),
    ("declared_work_plans", "integer", _COUNT), ("declared_projects", "integer", _COUNT),
]
_ROLE_FIELDS: list[Field] = [
    ("node_id", "string", {"required": True}), ("node_code", "string", {"required": True}),
    ("agency_code", "string", {"required": True}), ("role", "string", {"required": True, "enum": list(ROLES)}),
]
_AGENCY_FIELDS: list[Field] = [
    ("code", "string", {"required": True, "unique": True}), ("name_th", "string", {"required": True}),
    ("name_en", "string", {"required": True}), ("parent_code", "string", {}),
]
_LINK_FIELDS: list[Field] = [
    ("node_id", "string", {"required": True}), ("link_type", "string", {"required": True, "enum": ["focus_area", "target"]}),
    ("target_id", "string", {"required": True}),
]


def _fk(field: str, resource: str, to: str) -> dict[str, Any]:
    # An empty resource name is the resource itself (Table Schema's self-reference).
    return {"fields": [field], "reference": {"resource": resource, "fields": [to]}}


def _csv(fields: list[Field], rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[f for f, _, _ in fields], lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k, _, _ in fields})
    return out.getvalue().encode("utf-8")


def _resource(name: str, fields: list[Field], key: list[str], foreign_keys: list[dict[str, Any]]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [{"name": f, "type": t, **({"constraints": c} if c else {})} for f, t, c in fields],
        "primaryKey": key,
        "foreignKeys": foreign_keys,
    }
    return {
        "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "schema": schema,
    }


@dataclass(frozen=True)
class OpenDataPackage:
    principal: Principal | None
    plan_id: str
    version_id: str | None = None


@dataclass(frozen=True)
class Package:
    content: bytes
    filename: str


async def handle(query: OpenDataPackage, uow: UnitOfWork) -> Package:
    repos = repositories(uow)
    plan_id = query.plan_id
    version = await version_for_read(repos, query.principal, plan_id, query.version_id)
    content = visible_nodes(query.principal, version.status, await repos.nodes.load_nodes(version.id))
    plan = plan_dict(await repos.plans.get(plan_id))
    node_rows, role_rows, link_rows = [], [], []
    # An agency's view of a draft holds only its own nodes: a reference to a node it does not see is
    # left empty, so that every reference the package declares resolves inside the package.
    shown = {n["id"] for n in content}

    def inside(node_id: str | None) -> str | None:
        return node_id if node_id in shown else None

    for n in content:
        d = n["declared"] or {}
        node_rows.append({
            "id": n["id"], "node_type": n["node_type"], "parent_id": inside(n["parent_id"]),
            "strategy_id": inside(n["strategy_id"]),
            "code": n["code"], "position": n["position"], "name_th": n["name"]["th"], "name_en": n["name"]["en"],
            "budget_framework_baht": n["budget_framework"], "start_fy_be": n["start_fy"], "end_fy_be": n["end_fy"],
            "status": n["status"], "declared_measures": d.get("measures"), "declared_work_plans": d.get("work_plans"),
            "declared_projects": d.get("projects"),
        })
        # Open data publishes the plan: the demo layer's roles stay out of it.
        role_rows += [{"node_id": n["id"], "node_code": n["code"], "agency_code": r["agency"], "role": r["role"]}
                      for r in n["roles"] if not r.get("demo")]
        link_rows += [{"node_id": n["id"], "link_type": "focus_area", "target_id": t} for t in n["focus_area_ids"] if t in shown]
        link_rows += [{"node_id": n["id"], "link_type": "target", "target_id": t} for t in n["target_ids"] if t in shown]
    known = await repos.agencies.all()
    # The agencies the roles name, with their parent ministries (agencies.parent_code refers to them).
    pending, used = [r["agency_code"] for r in role_rows], set()
    while pending:
        code = pending.pop()
        if code in used or code not in known:
            continue
        used.add(code)
        if known[code]["parent_code"]:
            pending.append(known[code]["parent_code"])
    agency_rows = [
        {"code": a["code"], "name_th": a["name"]["th"], "name_en": a["name"]["en"], "parent_code": a["parent_code"]}
        for a in known.values()
        if a["code"] in used
    ]
    package = {
        "profile": "tabular-data-package",
        "name": plan["code"].lower(),
        "title": plan["title"]["en"],
        "description": plan["title"]["th"],
        "version": str(version.number),
        "licenses": [{"name": "OGL-TH", "title": "Open Government Licence - Thailand"}],
        "keywords": ["digital government", "plan", plan["code"]],
        "dgplan": {"plan_id": plan_id, "version_id": version.id, "version_status": version.status,
                   "start_fy_be": plan["start_fy"], "end_fy_be": plan["end_fy"]},
        "resources": [
            _resource("nodes", _NODE_FIELDS, ["id"], [_fk("parent_id", "", "id"), _fk("strategy_id", "", "id")]),
            _resource("roles", _ROLE_FIELDS, ["node_id", "agency_code", "role"],
                      [_fk("node_id", "nodes", "id"), _fk("agency_code", "agencies", "code")]),
            _resource("links", _LINK_FIELDS, ["node_id", "link_type", "target_id"],
                      [_fk("node_id", "nodes", "id"), _fk("target_id", "nodes", "id")]),
            _resource("agencies", _AGENCY_FIELDS, ["code"], [_fk("parent_code", "", "code")]),
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2, sort_keys=True))
        z.writestr("nodes.csv", _csv(_NODE_FIELDS, node_rows))
        z.writestr("roles.csv", _csv(_ROLE_FIELDS, role_rows))
        z.writestr("links.csv", _csv(_LINK_FIELDS, link_rows))
        z.writestr("agencies.csv", _csv(_AGENCY_FIELDS, agency_rows))
    return Package(buffer.getvalue(), f"{plan['code']}-v{version.number}.zip")
