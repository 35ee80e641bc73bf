"""Putting one gateway process's edge together from its settings: keys, verifier, rate limiter,
and for each service either its in-process app (embedded) or an HTTP upstream (distributed), plus
the console's process when it runs as one (``console_url``)."""

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
    console_url = settings.console_url.rstrip("/") if settings.console_url else None
    client: UpstreamClient | None = None
    upstreams: dict[str, Forwarder] = {}
    documents: dict[str, ServiceDocument] = {}

    def over_http(name: str, url: str) -> HttpUpstream:
        nonlocal client
        if client is None:
            kind = settings.upstream_client
            if kind == "lean" and any(u.startswith("https://") for u in [*urls.values(), console_url or ""]):
                kind = "aiohttp"  # the lean client speaks plain HTTP only (TLS between services: aiohttp)
            client = build_client(
                kind,
                settings.upstream_pool_size,
                settings.upstream_connect_timeout_seconds,
                settings.upstream_timeout_seconds,
            )
        return HttpUpstream(
            name,
            url,
            client,
            Circuit(settings.circuit_failure_threshold, settings.circuit_open_seconds),
            settings.upstream_retries,
            settings.upstream_retry_backoff_seconds,
        )

    for name in SERVICES:
        if name in apps:
            upstreams[name] = AsgiUpstream(name, apps[name], settings.upstream_timeout_seconds)
            documents[name] = AsgiDocument(apps[name])
            continue
        upstream = upstreams[name] = over_http(name, urls[name])
        documents[name] = HttpDocument(upstream.client, urls[name])
    # The console as its own process: its pages are forwarded like a service's requests (same
    # client, timeouts, idempotent-only retries and circuit), by proxy.frontend's rules.
    frontend = over_http("console", console_url) if console_url else None
    if frontend is not None and not settings.console_paths:
        # Forwarding nothing would leave every console page a 404 that looks like a console bug.
        raise RuntimeError("GATEWAY_CONSOLE_URL is set but GATEWAY_CONSOLE_PATHS is empty: list the console's paths")
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
        frontend=frontend,
    )
