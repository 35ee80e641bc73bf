"""Plumbing the routes share: who may read what, cursors, ETags, idempotency keys, today."""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from typing import Any

import orjson
from fastapi import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.types import utcnow
from dgplan_contracts.identity import AGENCY, BODY_MEMBER, OPERATOR, SECRETARIAT, SERVICE, Principal, forbidden, require_role
from dgplan_shared.problems import ProblemError, checked_idempotency_key, invalid
from monitoring.db.tables import idempotency_keys
from monitoring.domain.evaluation import Thresholds

OVERSIGHT = (SECRETARIAT, OPERATOR, BODY_MEMBER, SERVICE)


def refuse_nul_characters(request: Request) -> None:
    """Router dependency: PostgreSQL cannot store U+0000, so such input is a 422, not a 500."""
    if "\x00" in request.url.path:
        raise invalid("path", "must not contain NUL characters")
    for name, value in request.query_params.multi_items():
        if "\x00" in name or "\x00" in value:
            raise invalid(name.replace("\x00", ""), "must not contain NUL characters")


def today(request: Request) -> date:
    fixed = request.app.state.runtime.settings.fixed_today
    return fixed or utcnow().date()


def checked_as_of(day: date | None) -> date | None:
    # Fiscal arithmetic needs the neighbouring years to exist as dates.
    if day is not None and not date(1900, 1, 1) <= day <= date(2199, 12, 31):
        raise invalid("as_of", "must be between 1900-01-01 and 2199-12-31")
    return day


def rules(request: Request) -> Thresholds:
    return Thresholds.from_settings(request.app.state.runtime.settings)


def sees_everything(principal: Principal) -> bool:
    return principal.has(*OVERSIGHT)


def agency_codes(project: dict[str, Any]) -> set[str]:
    codes = {a.get("agency") for a in project.get("agencies") or []}
    codes.add(project.get("lead_agency"))
    return {c for c in codes if c}


def require_project_reader(principal: Principal, project: dict[str, Any]) -> None:
    """Oversight roles see every project; an agency only the projects it takes part in."""
    if sees_everything(principal):
        return
    require_role(principal, AGENCY, *OVERSIGHT)
    if principal.agency not in agency_codes(project):
        raise forbidden("An agency sees only the projects it takes part in.")


# -- cursors ---------------------------------------------------------------------------------

def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


def decode_cursor(cursor: str | None, types: tuple[type, ...]) -> list[Any] | None:
    """The sort key a cursor carries, checked against the list's key types (a forged cursor is a 422)."""
    if cursor is None:
        return None
    try:
        key = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, orjson.JSONDecodeError):
        raise invalid("cursor", "not a cursor returned by this list") from None
    if (
        not isinstance(key, list)
        or len(key) != len(types)
        or not all(type(v) is t and (t is not int or abs(v) < 2**31) for v, t in zip(key, types))
    ):
        raise invalid("cursor", "not a cursor returned by this list")
    return key


# -- ETags -----------------------------------------------------------------------------------

def etag(resource_id: str, version: int) -> str:
    return f'"{resource_id}.{version}"'


def check_if_match(if_match: str | None, current: str) -> None:
    if if_match is None:
        raise ProblemError(428, "precondition-required", "If-Match required",
                           "Send the ETag you read in If-Match so concurrent updates are not lost.")
    candidates = {c.strip() for c in if_match.split(",")}
    if "*" not in candidates and current not in candidates and f"W/{current}" not in candidates:
        raise ProblemError(412, "precondition-failed", "Resource changed",
                           "The resource changed since you read it; read it again and retry.")


# -- idempotency keys ------------------------------------------------------------------------

def request_fingerprint(body: Any) -> str:
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


async def replayed(
    session: AsyncSession, scope: str, subject: str, key: str, fingerprint: str
) -> tuple[int, dict[str, Any]] | None:
    """The stored answer to an earlier request with this key, or None for a new key."""
    row = (
        await session.execute(
            select(idempotency_keys).where(
                idempotency_keys.c.scope == scope,
                idempotency_keys.c.subject == subject,
                idempotency_keys.c.key == key,
            )
        )
    ).mappings().first()
    if row is None:
        return None
    if row["request_hash"] != fingerprint:
        raise ProblemError(
            422, "idempotency-key-reused", "Idempotency-Key reused",
            "This Idempotency-Key was already used with a different request body.",
        )
    return row["status_code"], row["response"]


async def remember(
    session: AsyncSession, scope: str, subject: str, key: str, fingerprint: str, status: int, body: dict[str, Any]
) -> None:
    await session.execute(
        idempotency_keys.insert().values(
            scope=scope, subject=subject, key=key, request_hash=fingerprint,
            status_code=status, response=body, created_at=utcnow(),
        )
    )


def validate_idempotency_key(key: str | None) -> str:
    return checked_idempotency_key(key)
