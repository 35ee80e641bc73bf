"""Use case: an operator changes a client's name, roles, agency or activity (If-Match required)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError, not_found
from dgplan_shared.web.etags import require_if_match
from gateway.edge.adapters.clients_repository import Client, get_client, update_client
from gateway.edge.application.client_views import client_etag
from gateway.edge.domain.client_rules import check_roles_and_agency, clean_name


@dataclass(frozen=True)
class ChangeClient:
    client_id: str
    if_match: str | None
    changes: dict[str, Any]


async def handle(command: ChangeClient, uow: UnitOfWork) -> Client:
    client = await get_client(uow.session, command.client_id)
    if client is None:
        raise not_found("client", command.client_id)
    require_if_match(command.if_match, client_etag(client.client_id, client.version), "client")
    changes = dict(command.changes)
    if "name" in changes:
        changes["name"] = clean_name(changes["name"])
    roles = changes.get("roles", list(client.roles))
    agency = changes.get("agency", client.agency)
    changes["roles"] = check_roles_and_agency(roles, agency)
    if not await update_client(uow.session, client, **changes):
        raise ProblemError(412, "precondition-failed", "Precondition failed", "The client changed since you read it.")
    updated = await get_client(uow.session, command.client_id)
    assert updated is not None
    return updated
