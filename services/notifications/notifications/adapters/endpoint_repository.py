"""SQL for webhook endpoints and their signing secrets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.adapters.tables import endpoint_secrets, endpoints


@dataclass(frozen=True)
class Endpoint:
    id: str
    url: str
    description: str
    event_types: list[str]
    agency: str | None
    owner: str
    status: str
    disabled_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "url": self.url, "agency": self.agency, "owner": self.owner}


def _endpoint(row: Any) -> Endpoint:
    return Endpoint(
        id=row.id, url=row.url, description=row.description, event_types=orjson.loads(row.event_types),
        agency=row.agency, owner=row.owner, status=row.status, disabled_reason=row.disabled_reason,
        version=row.version, created_at=row.created_at, updated_at=row.updated_at,
    )


class EndpointRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, endpoint: Endpoint) -> None:
        await self.session.execute(insert(endpoints).values(
            id=endpoint.id, url=endpoint.url, description=endpoint.description,
            event_types=orjson.dumps(endpoint.event_types).decode(), agency=endpoint.agency, owner=endpoint.owner,
            status=endpoint.status, disabled_reason=endpoint.disabled_reason, version=endpoint.version,
            created_at=endpoint.created_at, updated_at=endpoint.updated_at,
        ))

    async def get(self, endpoint_id: str, *, for_update: bool = False) -> Endpoint | None:
        stmt = select(endpoints).where(endpoints.c.id == endpoint_id, endpoints.c.deleted_at.is_(None))
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self.session.execute(stmt)).first()
        return _endpoint(row) if row else None

    async def page(self, agency: str | None, only_agency: bool, after: tuple[str, str] | None,
                   limit: int) -> list[Endpoint]:
        c = endpoints.c
        stmt = select(endpoints).where(c.deleted_at.is_(None))
        if only_agency:
            stmt = stmt.where(c.agency == agency)
        if after is not None:
            created, ident = after
            stmt = stmt.where(or_(c.created_at > datetime.fromisoformat(created),
                                  and_(c.created_at == datetime.fromisoformat(created), c.id > ident)))
        rows = (await self.session.execute(stmt.order_by(c.created_at, c.id).limit(limit))).all()
        return [_endpoint(r) for r in rows]

    async def active(self) -> list[Endpoint]:
        c = endpoints.c
        rows = (await self.session.execute(
            select(endpoints).where(c.deleted_at.is_(None), c.status == "active"))).all()
        return [_endpoint(r) for r in rows]

    async def save(self, endpoint: Endpoint, expected_version: int) -> bool:
        """Write the changed fields if nobody changed the row since ``expected_version``."""
        result = await self.session.execute(
            update(endpoints)
            .where(endpoints.c.id == endpoint.id, endpoints.c.version == expected_version)
            .values(url=endpoint.url, description=endpoint.description,
                    event_types=orjson.dumps(endpoint.event_types).decode(), status=endpoint.status,
                    disabled_reason=endpoint.disabled_reason, version=endpoint.version,
                    updated_at=endpoint.updated_at)
        )
        return result.rowcount == 1

    async def delete(self, endpoint_id: str, at: datetime) -> None:
        # Kept (soft-deleted) so that deliveries and attempts stay explainable.
        await self.session.execute(update(endpoints).where(endpoints.c.id == endpoint_id).values(
            deleted_at=at, status="disabled", disabled_reason="deleted", updated_at=at))

    async def add_secret(self, endpoint_id: str, encrypted_secret: str, at: datetime) -> None:
        await self.session.execute(insert(endpoint_secrets).values(
            endpoint_id=endpoint_id, encrypted_secret=encrypted_secret, created_at=at, expires_at=None))

    async def expire_current_secrets(self, endpoint_id: str, expires_at: datetime) -> None:
        c = endpoint_secrets.c
        await self.session.execute(update(endpoint_secrets).where(c.endpoint_id == endpoint_id,
                                                                  c.expires_at.is_(None)).values(expires_at=expires_at))

    async def signing_secrets(self, endpoint_ids: list[str], now: datetime) -> dict[str, list[str]]:
        """Each endpoint's secrets still in force (encrypted), newest first (old ones only during an overlap)."""
        if not endpoint_ids:
            return {}
        c = endpoint_secrets.c
        rows = (await self.session.execute(
            select(c.endpoint_id, c.encrypted_secret)
            .where(c.endpoint_id.in_(endpoint_ids), or_(c.expires_at.is_(None), c.expires_at > now))
            .order_by(c.endpoint_id, c.id.desc())
        )).all()
        out: dict[str, list[str]] = {}
        for row in rows:
            out.setdefault(row.endpoint_id, []).append(row.encrypted_secret)
        return out

    async def all_encrypted_secrets(self) -> list[tuple[int, str]]:
        c = endpoint_secrets.c
        return [(r.id, r.encrypted_secret) for r in
                (await self.session.execute(select(c.id, c.encrypted_secret).order_by(c.id))).all()]

    async def replace_encrypted_secret(self, secret_id: int, encrypted_secret: str) -> None:
        await self.session.execute(update(endpoint_secrets).where(endpoint_secrets.c.id == secret_id)
                                   .values(encrypted_secret=encrypted_secret))
