"""Read side: the caller's inbox, instance lists, histories, bodies and workflow definitions."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_contracts.identity import Principal
from dgplan_shared.problems import invalid
from gateway.governance.adapters.tables import (
    gov_bodies,
    gov_instances,
    gov_members,
    gov_timeline,
    gov_votes,
    gov_workflow_definitions,
)
from gateway.governance import store
from gateway.governance.views import body_view, instance_view, iso, timeline_view

FAR_FUTURE = "9999-12-31T00:00:00Z"


def encode_cursor(value: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")


def decode_cursor(cursor: str | None, *types: type) -> list[Any] | None:
    """The cursor's values, each of the expected type; anything else is a 422, never a 500."""
    if cursor is None:
        return None
    try:
        value = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, orjson.JSONDecodeError) as exc:
        raise invalid("cursor", "not a cursor returned by this list") from exc
    valid = (
        isinstance(value, list)
        and len(value) == len(types)
        and all(type(v) is t for v, t in zip(value, types))
        and all(0 <= v < 2**62 for v in value if isinstance(v, int))
        and all("\x00" not in v for v in value if isinstance(v, str))
    )
    if not valid:
        raise invalid("cursor", "not a cursor returned by this list")
    return value


async def inbox(session: AsyncSession, principal: Principal, limit: int, cursor: str | None) -> dict[str, Any]:
    """Active stages owned by the caller's bodies, soonest deadline first (no deadline last)."""
    after = decode_cursor(cursor, str, str)
    bodies = sorted(principal.bodies)
    rows = (
        await session.execute(
            select(gov_instances).where(gov_instances.c.status == "active", gov_instances.c.stage_body.in_(bodies))
        )
    ).mappings().all()
    items = sorted(
        (dict(r) for r in rows), key=lambda r: (iso(r["stage_due_at"]) or FAR_FUTURE, r["id"])
    )
    if after is not None:
        items = [r for r in items if (iso(r["stage_due_at"]) or FAR_FUTURE, r["id"]) > tuple(after)]
    page = items[:limit]
    voted = set()
    if page:
        votes = await session.execute(
            select(gov_votes.c.instance_id, gov_votes.c.stage_entry).where(
                gov_votes.c.voter == principal.subject, gov_votes.c.instance_id.in_([r["id"] for r in page])
            )
        )
        voted = {(v.instance_id, v.stage_entry) for v in votes}
    result = []
    for row in page:
        definition = await store.get_definition(session, row["workflow_key"], row["definition_version"])
        stage = definition.stage(row["stage"])
        assert stage is not None
        result.append(
            {
                **instance_view(row),
                "mode": stage.mode,
                "decisions": [d.name for d in stage.decisions],
                "my_vote_cast": (row["id"], row["stage_entry"]) in voted,
            }
        )
    last = page[-1] if len(items) > limit else None
    next_cursor = encode_cursor([iso(last["stage_due_at"]) or FAR_FUTURE, last["id"]]) if last else None
    return {"items": result, "next_cursor": next_cursor}


async def list_instances(
    session: AsyncSession, filters: dict[str, Any], limit: int, cursor: str | None
) -> dict[str, Any]:
    query = select(gov_instances).order_by(gov_instances.c.created_at, gov_instances.c.id).limit(limit + 1)
    for name, value in filters.items():
        if value is not None:
            query = query.where(gov_instances.c[name] == value)
    after = decode_cursor(cursor, str, str)
    if after is not None:
        created = store_datetime(after[0])
        query = query.where(
            or_(
                gov_instances.c.created_at > created,
                and_(gov_instances.c.created_at == created, gov_instances.c.id > after[1]),
            )
        )
    rows = [dict(r) for r in (await session.execute(query)).mappings().all()]
    page = rows[:limit]
    next_cursor = encode_cursor([iso(page[-1]["created_at"]), page[-1]["id"]]) if len(rows) > limit else None
    return {"items": [instance_view(r) for r in page], "next_cursor": next_cursor}


def store_datetime(value: str):  # type: ignore[no-untyped-def]
    from datetime import datetime

    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, AttributeError) as exc:
        raise invalid("cursor", "not a cursor returned by this list") from exc
    if parsed.tzinfo is None:
        raise invalid("cursor", "not a cursor returned by this list")
    return parsed


async def history(
    session: AsyncSession, filters: dict[str, Any], limit: int, cursor: str | None
) -> dict[str, Any]:
    """Timeline entries in order: of one instance, one plan (version) or one screening round."""
    query = select(gov_timeline).order_by(gov_timeline.c.id).limit(limit + 1)
    for name, value in filters.items():
        if value is not None:
            query = query.where(gov_timeline.c[name] == value)
    after = decode_cursor(cursor, int)
    if after is not None:
        query = query.where(gov_timeline.c.id > after[0])
    rows = [dict(r) for r in (await session.execute(query)).mappings().all()]
    page = rows[:limit]
    next_cursor = encode_cursor([page[-1]["id"]]) if len(rows) > limit else None
    return {"items": [timeline_view(r) for r in page], "next_cursor": next_cursor}


async def bodies(session: AsyncSession, limit: int, cursor: str | None) -> dict[str, Any]:
    query = select(gov_bodies).order_by(gov_bodies.c.code).limit(limit + 1)
    after = decode_cursor(cursor, str)
    if after is not None:
        query = query.where(gov_bodies.c.code > after[0])
    rows = [dict(r) for r in (await session.execute(query)).mappings().all()]
    page = rows[:limit]
    members = await members_of(session, [b["code"] for b in page])
    next_cursor = encode_cursor([page[-1]["code"]]) if len(rows) > limit else None
    return {"items": [body_view(b, members.get(b["code"], [])) for b in page], "next_cursor": next_cursor}


async def members_of(session: AsyncSession, codes: list[str]) -> dict[str, list[dict[str, Any]]]:
    rows = await session.execute(
        select(gov_members).where(gov_members.c.body_code.in_(codes)).order_by(gov_members.c.body_code, gov_members.c.subject)
    )
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows.mappings():
        grouped.setdefault(row["body_code"], []).append(dict(row))
    return grouped


async def workflows(session: AsyncSession) -> dict[str, Any]:
    rows = await session.execute(
        select(gov_workflow_definitions).order_by(gov_workflow_definitions.c.key, gov_workflow_definitions.c.version)
    )
    items = [
        {"key": r["key"], "version": r["version"], "created_by": r["created_by"], "created_at": iso(r["created_at"]),
         "definition": r["definition"]}
        for r in rows.mappings()
    ]
    return {"items": items, "next_cursor": None}
