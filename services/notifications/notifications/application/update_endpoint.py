"""Change an endpoint's URL, description, filters or status under If-Match; re-enabling clears
the reason it was disabled (its pending deliveries then go out)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from dgplan_contracts.identity import Principal
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError
from dgplan_shared.web.etags import require_if_match, version_etag

from notifications.adapters.endpoint_repository import Endpoint, EndpointRepository
from notifications.application.deliveries import DELIVERIES_DUE
from notifications.application.endpoint_access import visible_endpoint
from notifications.domain.endpoints import ACTIVE, DISABLED
from notifications.domain.event_filters import checked_filters
from notifications.domain.url_policy import Allowlist, checked_url

ETAG_KIND = "webhook-endpoint"


def endpoint_etag(endpoint: Endpoint) -> str:
    return version_etag(ETAG_KIND, endpoint.id, endpoint.version)


@dataclass(frozen=True)
class UpdateEndpoint:
    principal: Principal
    endpoint_id: str
    if_match: str | None
    allowlist: Allowlist
    url: str | None = None
    description: str | None = None
    event_types: list[str] | None = None
    enabled: bool | None = None


async def handle(command: UpdateEndpoint, uow: UnitOfWork) -> Endpoint:
    repo = EndpointRepository(uow.session)
    current = await visible_endpoint(repo, command.principal, command.endpoint_id, for_update=True)
    require_if_match(command.if_match, endpoint_etag(current), "webhook endpoint")
    changed = current
    if command.url is not None:
        checked_url(command.url, command.allowlist)
        changed = replace(changed, url=command.url)
    if command.description is not None:
        changed = replace(changed, description=command.description)
    if command.event_types is not None:
        changed = replace(changed, event_types=checked_filters(command.event_types))
    if command.enabled is True:
        changed = replace(changed, status=ACTIVE, disabled_reason=None)
        uow.wake(DELIVERIES_DUE)  # what waited for the endpoint is due again
    elif command.enabled is False:
        changed = replace(changed, status=DISABLED, disabled_reason=f"disabled by {command.principal.subject}")
    changed = replace(changed, version=current.version + 1, updated_at=utcnow())
    if not await repo.save(changed, current.version):
        raise ProblemError(412, "precondition-failed", "Precondition failed",
                           "The webhook endpoint changed meanwhile; read it again and retry.")
    return changed
