"""Open-data export: one CSV per kind of record plus a Frictionless ``datapackage.json``, zipped."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from dataclasses import dataclass

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork

from plan_registry.adapters.plan_repository import plan_dict
from plan_registry.application.repositories import repositories
from plan_registry.application.visibility import version_for_read
from plan_registry.domain.access import visible_nodes

_NODE_FIELDS = [
    ("id", "string"), ("node_type", "string"), ("parent_id", "string"), ("strategy_id", "string"), ("code", "string"),
    ("position", "integer"), ("name_th", "string"), ("name_en", "string"), ("budget_framework_baht", "number"),
    ("start_fy_be", "integer"), ("end_fy_be", "integer"), ("status", "string"), ("declared_measures", "integer"),
    ("declared_work_plans", "integer"), ("declared_projects", "integer"),
]
_ROLE_FIELDS = [("node_id", "string"), ("node_code", "string"), ("agency_code", "string"), ("role", "string")]
_AGENCY_FIELDS = [("code", "string"), ("name_th", "string"), ("name_en", "string"), ("parent_code", "string")]
_LINK_FIELDS = [("node_id", "string"), ("link_type", "string"), ("target_id", "string")]


def _csv(fields: list[tuple[str, str]], rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[f for f, _ in fields], lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k, _ in fields})
    return out.getvalue().encode("utf-8")


def _resource(name: str, fields: list[tuple[str, str]], key: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": [{"name": f, "type": t} for f, t in fields]}
    if key:
        schema["primaryKey"] = key
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
    for n in content:
        d = n["declared"] or {}
        node_rows.append({
            "id": n["id"], "node_type": n["node_type"], "parent_id": n["parent_id"], "strategy_id": n["strategy_id"],
            "code": n["code"], "position": n["position"], "name_th": n["name"]["th"], "name_en": n["name"]["en"],
            "budget_framework_baht": n["budget_framework"], "start_fy_be": n["start_fy"], "end_fy_be": n["end_fy"],
            "status": n["status"], "declared_measures": d.get("measures"), "declared_work_plans": d.get("work_plans"),
            "declared_projects": d.get("projects"),
        })
        role_rows += [{"node_id": n["id"], "node_code": n["code"], "agency_code": r["agency"], "role": r["role"]} for r in n["roles"]]
        link_rows += [{"node_id": n["id"], "link_type": "focus_area", "target_id": t} for t in n["focus_area_ids"]]
        link_rows += [{"node_id": n["id"], "link_type": "target", "target_id": t} for t in n["target_ids"]]
    used = {r["agency_code"] for r in role_rows}
    agency_rows = [
        {"code": a["code"], "name_th": a["name"]["th"], "name_en": a["name"]["en"], "parent_code": a["parent_code"]}
        for a in (await repos.agencies.all()).values()
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
            _resource("nodes", _NODE_FIELDS, ["id"]),
            _resource("roles", _ROLE_FIELDS),
            _resource("links", _LINK_FIELDS),
            _resource("agencies", _AGENCY_FIELDS, ["code"]),
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
