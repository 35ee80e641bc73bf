"""FastAPI dependencies and small helpers shared by the governance and audit routes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Query

from dgplan_contracts.assertion import principal_from_request
from dgplan_contracts.identity import Principal, unauthenticated
from dgplan_shared.service import Runtime, get_runtime
from gateway.governance.domain.audit_chain import canonical, sha256

Caller = Annotated[Principal, Depends(principal_from_request)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key",
           description="Required: a retry with the same key gets the first answer (428 without one)."),
]
IfMatch = Annotated[
    str | None, Header(alias="If-Match", description="Required: the ETag you read (428 without, 412 if stale).")
]
Ident = Annotated[str | None, Query(max_length=64)]


def authenticated(principal: Principal) -> None:
    """Any identified caller (not the anonymous public) may read governance records."""
    if principal.is_anonymous:
        raise unauthenticated("Governance records are for identified callers.")


def request_digest(scope: str, request: Any) -> str:
    """What makes two POSTs with one Idempotency-Key the same request: the canonical form of the
    operation and its body. It is the digest the engine's former key store kept, so keys recorded
    before the move to the shared store (copied over by migration 0005) still match."""
    return sha256(canonical({"scope": scope, "request": request}))
