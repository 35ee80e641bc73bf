"""What the edge keeps per gateway process: keys, verifier, rate-limit buckets, upstreams,
and short-lived caches. Built when the app starts, closed when it stops."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_contracts.assertion import sign_identity
from dgplan_shared.service import Runtime
from gateway.edge.bearer_tokens import ExternalJwks, Verifier
from gateway.edge.circuit import Circuit
from gateway.edge.proxy import AsgiUpstream, HttpUpstream
from gateway.edge.rate_limit import TokenBuckets
from gateway.edge.signing_keys import KeyRing
from gateway.edge.upstream_clients import UpstreamClient, build_client
from gateway.edge.upstreams import SERVICES, base_urls
from gateway.settings import Settings

log = logging.getLogger("gateway.edge")

EDGE_KEY = "edge"


@dataclass
class EdgeState:
    runtime: Runtime
    settings: Settings
    keys: KeyRing | None
    verifier: Verifier
    buckets: TokenBuckets
    upstreams: dict[str, AsgiUpstream | HttpUpstream]
    client: UpstreamClient | None
    _memberships: dict[str, tuple[frozenset[str], float]] = field(default_factory=dict)
    _clients_active: dict[str, tuple[bool, float]] = field(default_factory=dict)
    _identities: dict[tuple[Any, ...], tuple[str, float]] = field(default_factory=dict)
    openapi_cache: dict[str, Any] = field(default_factory=dict)

    async def bodies(self, subject: str) -> frozenset[str]:
        """The subject's bodies, cached briefly: membership changes apply within the cache time."""
        now = time.monotonic()
        cached = self._memberships.get(subject)
        if cached is not None and cached[1] > now:
            return cached[0]
        from gateway.governance.application.memberships import bodies_for_subject

        try:
            bodies = frozenset(await bodies_for_subject(self.runtime, subject))
        except Exception:  # noqa: BLE001 - fail closed: no membership is the safe answer
            log.exception("could not look up body memberships of %s", subject)
            return frozenset()
        if len(self._memberships) > 10_000:
            self._memberships.clear()
        self._memberships[subject] = (bodies, now + self.settings.membership_cache_seconds)
        return bodies

    async def client_active(self, client_id: str) -> bool:
        """Whether a built-in client is still usable, cached briefly: deactivating a client cuts off
        its unexpired tokens within the cache time, not only when they expire. (Clients are never
        deleted, and the issuer signs only for registered ones: an unknown id is not refused here.)"""
        now = time.monotonic()
        cached = self._clients_active.get(client_id)
        if cached is not None and cached[1] > now:
            return cached[0]
        from gateway.edge.clients_repository import get_client

        async with self.runtime.db.session() as session:
            client = await get_client(session, client_id)
        active = client is None or client.active
        if len(self._clients_active) > 10_000:
            self._clients_active.clear()
        self._clients_active[client_id] = (active, now + self.settings.membership_cache_seconds)
        return active

    def identity_header(self, principal: Principal) -> bytes:
        """The signed identity to forward; reused while it has more than half its life left."""
        key = (principal.subject, principal.roles, principal.agency, principal.bodies, principal.name)
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


def build_state(runtime: Runtime) -> EdgeState:
    settings = runtime.settings
    assert isinstance(settings, Settings)
    keys = KeyRing(runtime.db) if settings.builtin_issuer else None
    external = ExternalJwks(settings.jwks_url, settings.jwks_cache_seconds) if settings.jwks_url else None
    apps = runtime.extras.get("upstream_apps") or {}
    urls = base_urls(settings)
    client: UpstreamClient | None = None
    upstreams: dict[str, AsgiUpstream | HttpUpstream] = {}
    for name in SERVICES:
        if name in apps:
            upstreams[name] = AsgiUpstream(name, apps[name], settings.upstream_timeout_seconds)
            continue
        if client is None:
            kind = settings.upstream_client
            if kind == "lean" and any(url.startswith("https://") for url in urls.values()):
                kind = "aiohttp"  # the lean client speaks plain HTTP only (TLS between services: aiohttp)
            client = build_client(
                kind,
                settings.upstream_pool_size,
                settings.upstream_connect_timeout_seconds,
                settings.upstream_timeout_seconds,
            )
        upstreams[name] = HttpUpstream(
            name,
            urls[name],
            client,
            Circuit(settings.circuit_failure_threshold, settings.circuit_open_seconds),
            settings.upstream_retries,
            settings.upstream_retry_backoff_seconds,
        )
    return EdgeState(
        runtime=runtime,
        settings=settings,
        keys=keys,
        verifier=Verifier(settings, keys, external),
        buckets=TokenBuckets(settings.rate_limit_per_second, settings.rate_limit_burst),
        upstreams=upstreams,
        client=client,
    )


def edge_state(runtime: Runtime) -> EdgeState:
    return runtime.extras[EDGE_KEY]
