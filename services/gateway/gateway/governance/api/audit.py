"""``/api/v1/audit``: verify the chain, read entries (operators and the secretariat)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from dgplan_contracts.identity import OPERATOR, SECRETARIAT, require_role
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.pagination import Cursor
from dgplan_shared.web.url_guards import refuse_bad_text_in_url
from gateway.governance.api.deps import Caller, RuntimeDep
from gateway.governance.api.views import audit_entry_view
from gateway.governance.application import queries

router = APIRouter(
    prefix="/api/v1/audit", tags=["audit"], responses=PROBLEM_RESPONSES,
    dependencies=[Depends(refuse_bad_text_in_url)],
)


@router.get("/verify", summary="Verify the hash chain; report the first altered, missing or reordered entry")
async def verify(principal: Caller, runtime: RuntimeDep) -> dict:
    require_role(principal, OPERATOR, SECRETARIAT)
    async with runtime.db.session() as session:
        return (await queries.verify_audit(session)).to_json()


@router.get("/entries", summary="Audit entries in chain order (opaque cursor from the previous page)")
async def entries(
    principal: Caller,
    runtime: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Cursor = None,
    target: Annotated[str | None, Query(max_length=200)] = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
) -> dict:
    require_role(principal, OPERATOR, SECRETARIAT)
    async with runtime.db.session() as session:
        rows = await queries.audit_entries(session, limit=limit, cursor=cursor, target=target, actor=actor)
    return {"items": [audit_entry_view(e) for e in rows.items], "next_cursor": rows.next_cursor}
