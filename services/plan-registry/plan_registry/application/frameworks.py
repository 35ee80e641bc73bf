"""External frameworks: list, read, and the secretariat's replacement of one as a whole.

A replacement may rename nodes, add them and move them, but not drop a node that a plan version
links to (409 naming it): the links of approved versions are history and must keep resolving.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError, not_found
from dgplan_shared.web.etags import content_etag, require_if_match

from plan_registry.application.repositories import repositories
from plan_registry.domain.access import require_editor
from plan_registry.domain.alignment import check_tree


@dataclass(frozen=True)
class ListFrameworks:
    pass


@dataclass(frozen=True)
class ReadFramework:
    code: str


@dataclass(frozen=True)
class PutFramework:
    principal: Principal
    code: str
    body: dict[str, Any]  # kind, name, nodes [{code, parent_code, name}]
    if_match: str | None


async def list_frameworks(query: ListFrameworks, uow: UnitOfWork) -> dict[str, Any]:
    items = await repositories(uow).frameworks.list()
    return {"items": items, "next_cursor": None}


async def read_framework(query: ReadFramework, uow: UnitOfWork) -> dict[str, Any]:
    found = await repositories(uow).frameworks.get(query.code)
    if found is None:
        raise not_found("framework", query.code)
    return found


async def put_framework(command: PutFramework, uow: UnitOfWork) -> dict[str, Any]:
    """Creates the framework, or replaces it (If-Match: its ETag, so a concurrent replacement is not
    lost). Answers the framework as it now stands, and whether it was created."""
    require_editor(command.principal)
    repos = repositories(uow)
    await repos.frameworks.lock(command.code)
    current = await repos.frameworks.get(command.code)
    if current is not None:
        require_if_match(command.if_match, content_etag(current), "framework")
    nodes = command.body["nodes"]
    check_tree(nodes)
    dropped = sorted(await repos.frameworks.linked_codes(command.code) - {n["code"] for n in nodes})
    if dropped:
        raise ProblemError(
            409, "framework-node-linked", "Framework node still linked",
            f"Plan nodes link to {', '.join(dropped)}; keep them in the framework (rename them if need be).",
            errors=[{"field": "nodes", "message": f"{code} is linked by a plan version"} for code in dropped],
        )
    await repos.frameworks.replace({"code": command.code, **command.body})
    stored = await repos.frameworks.get(command.code)
    assert stored is not None  # just written in this transaction
    return {"framework": stored, "created": current is None}
