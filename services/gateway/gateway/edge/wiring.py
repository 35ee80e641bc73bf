"""Putting one gateway process's edge together from its settings: keys, verifier, rate limiter,
and for each service either its in-process app (embedded) or an HTTP upstream (distributed)."""

from __future__ import annotations

from dgplan_shared.service import Runtime
from gateway.edge.adapters.external_jwks import ExternalJwks
from gateway.edge.adapters.openapi_documents import AsgiDocument, HttpDocument, ServiceDocument
from gateway.edge.adapters.rate_limit_store import build_rate_limiter
from gateway.edge.adapters.signing_keys import KeyRing
from gateway.edge.adapters.upstream_clients import build_client
from gateway.edge.adapters.upstream_http import Forwarder, UpstreamClient
from gateway.edge.application.bearer_tokens import Verifier
from gateway.edge.domain.circuit import Circuit
from gateway.edge.domain.routes import SERVICES
from gateway.edge.proxy.forwarding import AsgiUpstream, HttpUpstream
from gateway.edge.state import EdgeState, MembershipLookup
from gateway.settings import Settings


def base_urls(settings: Settings) -> dict[str, str]:
    return {
        "plan-registry": settings.plan_registry_url.rstrip("/"),
        "budget-ledger": settings.budget_ledger_url.rstrip("/"),
        "monitoring": settings.monitoring_url.rstrip("/"),
        "notifications": settings.notifications_url.rstrip("/"),
    }


def build_state(runtime: Runtime, memberships: MembershipLookup) -> EdgeState:
    settings = runtime.settings
    assert isinstance(settings, Settings)
    keys = KeyRing(runtime.db) if settings.builtin_issuer else None
    external = ExternalJwks(settings.jwks_url, settings.jwks_cache_seconds) if settings.jwks_url else None
    apps = runtime.extras.get("upstream_apps") or {}
    urls = base_urls(settings)
    client: UpstreamClient | None = None
    upstreams: dict[str, Forwarder] = {}
    documents: dict[str, ServiceDocument] = {}
    for name in SERVICES:
        if name in apps:
            upstreams[name] = AsgiUpstream(name, apps[name], settings.upstream_timeout_seconds)
            documents[name] = AsgiDocument(apps[name])
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
        documents[name] = HttpDocument(client, urls[name])
    return EdgeState(
        runtime=runtime,
        settings=settings,
        keys=keys,
        verifier=Verifier(settings, keys, external),
        rate_limiter=build_rate_limiter(
            settings.rate_limit_store,
            settings.database_url,
            settings.database_pool_size,
            settings.rate_limit_per_second,
            settings.rate_limit_burst,
        ),
        upstreams=upstreams,
        documents=documents,
        client=client,
        memberships=memberships,
    )
