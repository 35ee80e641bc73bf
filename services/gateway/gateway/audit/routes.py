"""``/api/v1/audit``: verify the chain, read entries (operators and the secretariat)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from dgplan_contracts.identity import OPERATOR, SECRETARIAT, Principal, require_role
from dgplan_contracts.assertion import principal_from_request
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.service import Runtime, get_runtime
from gateway.audit.entries import list_entries
from gateway.governance.api.nul import refuse_nul_in_url
from gateway.audit.verify import verify_stored_chain

router = APIRouter(
    prefix="/api/v1/audit", tags=["audit"], responses=PROBLEM_RESPONSES, dependencies=[Depends(refuse_nul_in_url)]
)


@router.get("/verify", summary="Verify the hash chain; report the first altered, missing or reordered entry")
async def verify(
    principal: Annotated[Principal, Depends(principal_from_request)],
    runtime: Annotated[Runtime, Depends(get_runtime)],
) -> dict:
    require_role(principal, OPERATOR, SECRETARIAT)
    async with runtime.db.session() as session:
        return (await verify_stored_chain(session)).to_json()


@router.get("/entries", summary="Audit entries in chain order (cursor = last seq seen)")
async def entries(
    principal: Annotated[Principal, Depends(principal_from_request)],
    runtime: Annotated[Runtime, Depends(get_runtime)],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query()] = None,
    target: Annotated[str | None, Query(max_length=200)] = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
) -> dict:
    require_role(principal, OPERATOR, SECRETARIAT)
    async with runtime.db.session() as session:
        return await list_entries(session, limit=limit, cursor=cursor, target=target, actor=actor)
