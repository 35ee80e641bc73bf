"""What the edge keeps per gateway process: keys, verifier, rate limiter, upstreams and short-lived
caches. Built when the app starts (``gateway.edge.wiring.build_state``), closed when it stops.
Both inbound sides (the routes and the proxy) read it; neither builds any of it."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dgplan_contracts.assertion import sign_identity
from dgplan_contracts.identity import Principal
from dgplan_shared.service import Runtime
from gateway.edge.adapters.clients_repository import get_client
from gateway.edge.adapters.openapi_documents import ServiceDocument
from gateway.edge.adapters.rate_limit_store import RateLimiter
from gateway.edge.adapters.signing_keys import KeyRing
from gateway.edge.adapters.upstream_http import Forwarder, UpstreamClient
from gateway.edge.application.bearer_tokens import Verifier
from gateway.settings import Settings

log = logging.getLogger("gateway.edge")

EDGE_KEY = "edge"

# The governance engine's answer to "which bodies is this subject a member of, and in which is it
# chair or secretary?" as ``(bodies, offices)`` (injected: the edge does not reach into the
# engine's tables).
MembershipLookup = Callable[[Runtime, str], Awaitable[tuple[Iterable[str], Iterable[str]]]]
Memberships = tuple[frozenset[str], frozenset[str]]
_NO_MEMBERSHIPS: Memberships = (frozenset(), frozenset())


@dataclass
class EdgeState:
    runtime: Runtime
    settings: Settings
    keys: KeyRing | None
    verifier: Verifier
    rate_limiter: RateLimiter
    upstreams: dict[str, Forwarder]
    documents: dict[str, ServiceDocument]
    client: UpstreamClient | None
    memberships: MembershipLookup
    # The console's own process (settings.console_url), or None: no front end behind this gateway.
    frontend: Forwarder | None = None
    _memberships: dict[str, tuple[Memberships, float]] = field(default_factory=dict)
    _clients_active: dict[str, tuple[bool, float]] = field(default_factory=dict)
    _identities: dict[tuple[Any, ...], tuple[str, float]] = field(default_factory=dict)
    openapi_cache: dict[str, Any] = field(default_factory=dict)

    async def bodies(self, subject: str) -> frozenset[str]:
        """The subject's bodies (see ``memberships_of``)."""
        return (await self.memberships_of(subject))[0]

    async def memberships_of(self, subject: str) -> Memberships:
        """The subject's bodies and offices, cached briefly: membership changes apply within the cache time."""
        now = time.monotonic()
        cached = self._memberships.get(subject)
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            bodies, offices = await self.memberships(self.runtime, subject)
            found: Memberships = (frozenset(bodies), frozenset(offices))
        except Exception:  # noqa: BLE001 - fail closed: no membership is the safe answer
            log.exception("could not look up body memberships of %s", subject)
            return _NO_MEMBERSHIPS
        if len(self._memberships) > 10_000:
            self._memberships.clear()
        self._memberships[subject] = (found, now + self.settings.membership_cache_seconds)
        return found

    async def client_active(self, client_id: str) -> bool:
        """Whether a built-in client is still usable, cached briefly: deactivating a client cuts off
        its unexpired tokens within the cache time, not only when they expire. (Clients are never
        deleted, and the issuer signs only for registered ones: an unknown id is not refused here.)"""
        now = time.monotonic()
        cached = self._clients_active.get(client_id)
        if cached is not None and cached[1] > now:
            return cached[0]
        async with self.runtime.db.session() as session:
            client = await get_client(session, client_id)
        active = client is None or client.active
        if len(self._clients_active) > 10_000:
            self._clients_active.clear()
        self._clients_active[client_id] = (active, now + self.settings.membership_cache_seconds)
        return active

    def identity_header(self, principal: Principal) -> bytes:
        """The signed identity to forward; reused while it has more than half its life left."""
        key = (principal.subject, principal.roles, principal.agency, principal.bodies, principal.offices, principal.name)
        now = time.time()
        cached = self._identities.get(key)
        if cached is not None and cached[1] > now:
            return cached[0].encode()
        ttl = 60
        token = sign_identity(principal, self.settings.internal_auth_secret.get_secret_value(), ttl_seconds=ttl)
        if len(self._identities) > 10_000:
            self._identities.clear()
        self._identities[key] = (token, now + ttl / 2)
        return token.encode()

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()
        await self.rate_limiter.close()


def edge_state(runtime: Runtime) -> EdgeState:
    return runtime.extras[EDGE_KEY]
