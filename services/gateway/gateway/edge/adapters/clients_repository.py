"""Reading and writing OAuth2 clients of the built-in issuer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.types import utcnow
from gateway.edge.adapters.tables import oauth_clients
from gateway.edge.domain.client_rules import plausible_client_id


@dataclass(frozen=True)
class Client:
    client_id: str
    name: str
    secret_hash: str
    roles: tuple[str, ...]
    agency: str | None
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime

    def public(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "name": self.name,
            "roles": list(self.roles),
            "agency": self.agency,
            "active": self.active,
            "version": self.version,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


def _client(row: Any) -> Client:
    return Client(
        client_id=row.client_id,
        name=row.name,
        secret_hash=row.secret_hash,
        roles=tuple(row.roles.split()),
        agency=row.agency,
        active=row.active,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def get_client(session: AsyncSession, client_id: str) -> Client | None:
    if not plausible_client_id(client_id):
        return None  # never reaches the database (a NUL byte would make PostgreSQL fail)
    row = (await session.execute(select(oauth_clients).where(oauth_clients.c.client_id == client_id))).first()
    return _client(row) if row else None


async def list_clients(
    session: AsyncSession, *, after: str | None, limit: int, role: str | None, active: bool | None
) -> list[Client]:
    stmt = select(oauth_clients).order_by(oauth_clients.c.client_id)
    if after is not None:
        stmt = stmt.where(oauth_clients.c.client_id > after)
    if active is not None:
        stmt = stmt.where(oauth_clients.c.active == active)
    if role is None:
        stmt = stmt.limit(limit)
    rows = [_client(r) for r in (await session.execute(stmt)).all()]
    if role is not None:  # roles are a short space-separated list: filter exactly in Python
        rows = [c for c in rows if role in c.roles][:limit]
    return rows


async def insert_client(
    session: AsyncSession, *, client_id: str, name: str, secret_hash: str, roles: tuple[str, ...], agency: str | None
) -> None:
    now = utcnow()
    await session.execute(
        insert(oauth_clients).values(
            client_id=client_id,
            name=name,
            secret_hash=secret_hash,
            roles=" ".join(roles),
            agency=agency,
            active=True,
            version=1,
            created_at=now,
            updated_at=now,
        )
    )


async def update_client(session: AsyncSession, client: Client, **changes: Any) -> bool:
    """Compare-and-set on the version: False when someone else changed the client meanwhile."""
    if "roles" in changes:
        changes["roles"] = " ".join(changes["roles"])
    result = await session.execute(
        update(oauth_clients)
        .where(oauth_clients.c.client_id == client.client_id, oauth_clients.c.version == client.version)
        .values(**changes, version=client.version + 1, updated_at=utcnow())
    )
    return result.rowcount == 1
