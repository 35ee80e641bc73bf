"""Queries: the issuer's clients, one or a page of them."""

from __future__ import annotations

from dataclasses import dataclass

from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import not_found
from gateway.edge.adapters.clients_repository import Client, get_client, list_clients


@dataclass(frozen=True)
class ListClients:
    after: str | None
    limit: int
    role: str | None = None
    active: bool | None = None


@dataclass(frozen=True)
class GetClient:
    client_id: str


async def list_(query: ListClients, uow: UnitOfWork) -> list[Client]:
    """Up to ``limit + 1`` clients after ``after`` (the extra one says there is a next page)."""
    return await list_clients(uow.session, after=query.after, limit=query.limit + 1, role=query.role,
                              active=query.active)


async def get(query: GetClient, uow: UnitOfWork) -> Client:
    client = await get_client(uow.session, query.client_id)
    if client is None:
        raise not_found("client", query.client_id)
    return client
