"""Subscribe a URL to events: the endpoint and its first signing secret, shown only in this answer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from notifications.adapters.endpoint_repository import Endpoint, EndpointRepository
from notifications.adapters.secret_box import SecretBox
from notifications.adapters.signing import new_secret
from notifications.domain.endpoints import ACTIVE, scope_for_new_endpoint
from notifications.domain.event_filters import checked_filters
from notifications.domain.url_policy import Allowlist, checked_url


@dataclass(frozen=True)
class CreateEndpoint:
    principal: Principal
    url: str
    description: str
    event_types: list[str]
    agency: str | None
    allowlist: Allowlist
    box: SecretBox


@dataclass(frozen=True)
class CreatedEndpoint:
    endpoint: Endpoint
    secret: str


async def handle(command: CreateEndpoint, uow: UnitOfWork) -> CreatedEndpoint:
    agency = scope_for_new_endpoint(command.principal, command.agency)
    checked_url(command.url, command.allowlist)
    filters = checked_filters(command.event_types)
    now = utcnow()
    endpoint = Endpoint(
        id=f"ep_{uuid.uuid4().hex}", url=command.url, description=command.description, event_types=filters,
        agency=agency, owner=command.principal.subject, status=ACTIVE, disabled_reason=None, version=1,
        created_at=now, updated_at=now,
    )
    repo = EndpointRepository(uow.session)
    await repo.add(endpoint)
    secret = new_secret()
    await repo.add_secret(endpoint.id, command.box.seal(secret), now)
    return CreatedEndpoint(endpoint, secret)
