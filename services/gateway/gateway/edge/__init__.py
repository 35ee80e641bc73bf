"""The public entry point: authentication, identity forwarding, authorization, rate limits,
routing to the services, the merged OpenAPI document and the offline docs page.

This module wires the half together (as ``definition.py`` does the gateway): its routers, its
ASGI proxy and the per-process state they share. See README.md for the layout.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.middleware import Middleware

from dgplan_shared.service import Runtime
from gateway.edge.api import admin_clients, authorize, discovery, openapi_routes, token
from gateway.edge.application import people_demo
from gateway.edge.application.demo_clients import banner, ensure_demo_clients, secrets_file
from gateway.edge.proxy.middleware import EdgeMiddleware
from gateway.edge.state import EDGE_KEY, EdgeState
from gateway.edge.wiring import build_state
from gateway.governance.application.memberships import memberships_of

log = logging.getLogger("gateway.edge")


def routers() -> list[APIRouter]:
    """The edge's own routes. Proxying is done by the edge middleware, before routing, for the
    services' prefixes only, so it never shadows a gateway route."""
    return [token.router, discovery.router, authorize.router, admin_clients.router, openapi_routes.router]


def configure(app: FastAPI) -> None:
    """Install the edge middleware and replace FastAPI's own /openapi.json with the merged one."""
    app.router.routes = [r for r in app.router.routes if getattr(r, "path", None) != app.openapi_url]
    # Innermost user middleware: inside the request-context middleware (request id, trace
    # context, body limit are set when the edge runs), outside the router.
    app.user_middleware.append(Middleware(EdgeMiddleware))

    original = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: Any) -> AsyncIterator[Any]:
        async with original(a) as state:
            runtime: Runtime = a.state.runtime
            edge = runtime.extras[EDGE_KEY] = build_state(runtime, memberships_of)
            await _first_signing_key(edge)
            try:
                yield state
            finally:
                await edge.close()

    app.router.lifespan_context = lifespan


async def _first_signing_key(edge: EdgeState) -> None:
    """Load (or, on a new database, create) the built-in issuer's signing key before any request.

    Creating it lazily inside a request deadlocked SQLite: the token endpoint's unit of work holds
    the write lock while the key ring writes the new key in a transaction of its own. At start-up
    nothing holds the lock. A database that is not reachable yet is not fatal here: the key is then
    made by the first caller, which on PostgreSQL cannot deadlock this way (no database-wide lock).
    """
    if edge.keys is None:  # an external IdP signs; the edge only verifies
        return
    try:
        await edge.keys.active()
    except Exception:  # noqa: BLE001 - start anyway; readiness reports the database
        log.warning("could not load the signing key at start-up; the first token request will", exc_info=True)


async def embedded_setup(runtime: Runtime) -> None:
    """Create the demo clients (idempotently) and print their credentials."""
    path = secrets_file(runtime.settings)  # type: ignore[arg-type]
    found = await ensure_demo_clients(runtime, path)
    print(banner(_served_at(runtime), found, path), flush=True)


async def embedded_people_setup(runtime: Runtime) -> None:
    """Create the demo people and the console's client (idempotently) beside the demo clients' file;
    print the people's passwords."""
    data_dir = secrets_file(runtime.settings).parent  # type: ignore[arg-type]
    people_path = data_dir / people_demo.PEOPLE_FILE
    passwords = await people_demo.ensure_demo_people(runtime, people_path)
    configured = runtime.settings.console_client_secret  # type: ignore[attr-defined]
    await people_demo.ensure_console_client(runtime, data_dir / people_demo.CONSOLE_CLIENT_FILE, _served_at(runtime),
                                            configured.get_secret_value() if configured else None)
    print(people_demo.banner(_served_at(runtime), passwords, people_path), flush=True)


def _served_at(runtime: Runtime) -> str:
    """Where ``make run`` serves (its host and port variables), unless a public URL is configured."""
    configured = runtime.settings.public_base_url  # type: ignore[attr-defined]
    if configured:
        return configured
    return f"http://{os.environ.get('DGPLAN_HOST', '127.0.0.1')}:{os.environ.get('DGPLAN_PORT', '8000')}"
