"""The demo layer of ``make run``: lead and supporting agencies for the seed plan's projects.

The seed keeps the source's facts (agencies per strategy, no project lead). This layer, loaded by
the embedded setup only, adds the roles of ``seed/demo-assignments.json`` to the seed plan's
approved and latest versions, each stored and shown as ``demo``, and announces the projects again
(project.changed with their lead), so that the ledger and monitoring let those agencies act.
Idempotent: roles already there are not added or announced twice.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from dgplan_shared.db.uow import UnitOfWork

from plan_registry.application.node_writes import publish_node_events
from plan_registry.application.repositories import repositories

DEMO_FILE = "demo-assignments.json"


def demo_assignments() -> dict[str, Any]:
    document = json.loads(resources.files("plan_registry.seed").joinpath(DEMO_FILE).read_text(encoding="utf-8"))
    if document.get("demo") is not True:
        raise ValueError(f"{DEMO_FILE} must say it is demo data")
    return document


async def apply_demo_layer(uow: UnitOfWork) -> int:
    """The number of roles added (0 when the layer is already there, or the seed plan is not)."""
    document = demo_assignments()
    repos = repositories(uow)
    plan_id = await repos.plans.id_by_code(document["plan_code"])
    if plan_id is None:
        return 0
    plan = await repos.plans.get_for_update(plan_id)
    agencies = await repos.agencies.existing(
        {a["lead"] for a in document["assignments"]} | {s for a in document["assignments"] for s in a["supporting"]})
    added = 0
    for version_id in dict.fromkeys(v for v in (plan.approved_version_id, plan.latest_version_id) if v):
        await repos.plans.get_version_for_write(plan_id, version_id, shared=False)  # as a node change does
        by_code = {n["code"]: n for n in await repos.nodes.load_nodes(version_id) if n["node_type"] == "project"}
        for assignment in document["assignments"]:
            before = by_code.get(assignment["project"])
            if before is None:
                continue  # removed in a later version: nothing to assign
            held = {(r["agency"], r["role"]) for r in before["roles"]}
            wanted = [(assignment["lead"], "lead")] + [(s, "supporting") for s in assignment["supporting"]]
            new = [{"agency": a, "role": r, "demo": True} for a, r in wanted if (a, r) not in held and a in agencies]
            if not new:
                continue
            await repos.nodes.update(version_id, {**before, "roles": before["roles"] + new})
            after = await repos.nodes.load_node(version_id, before["id"])
            await publish_node_events(uow, repos, plan_id, version_id, before, after)
            added += len(new)
    return added
