"""``/api/v1/audit``: verify the chain, read entries (operators and the secretariat)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime, BeforeValidator

from dgplan_contracts.identity import OPERATOR, SECRETARIAT, require_role
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.pagination import Cursor
from dgplan_shared.web.url_guards import refuse_bad_text_in_url
from gateway.governance.api.deps import Caller, RuntimeDep
from gateway.governance.api.views import audit_entry_view
from gateway.governance.application import queries

_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$")


def _iso_text(value: Any) -> Any:
    """Only ISO 8601 text with its offset: pydantic would also take ``0.5`` as seconds since 1970,
    which no person filtering the log means."""
    if isinstance(value, str) and not _ISO_INSTANT.match(value):
        raise ValueError("an ISO 8601 instant with its offset, e.g. 2026-12-01T09:00:00+07:00")
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(_iso_text)]

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
    action: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[Instant | None, Query(description="entries at or after this instant")] = None,
    until: Annotated[Instant | None, Query(description="entries before this instant")] = None,
) -> dict:
    require_role(principal, OPERATOR, SECRETARIAT)
    async with runtime.db.session() as session:
        rows = await queries.audit_entries(
            session, limit=limit, cursor=cursor,
            where=queries.AuditFilter(target=target, actor=actor, action=action, since=since, until=until),
        )
    return {"items": [audit_entry_view(e) for e in rows.items], "next_cursor": rows.next_cursor}
