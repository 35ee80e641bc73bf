"""Edge fixtures: the gateway app with in-process upstreams that echo what they were sent, and
bearer tokens minted by the gateway's own issuer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import jwt
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import delete
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from dgplan_contracts.assertion import IDENTITY_HEADER, verify_identity
from dgplan_shared.service import create_service_app
from dgplan_shared.testing.clients import asgi_client
from gateway.definition import definition
from gateway.edge.adapters import signing_keys
from gateway.edge.adapters.clients_repository import get_client, insert_client
from gateway.edge.adapters.tables import rate_buckets
from gateway.edge.application.bearer_tokens import issue_token
from gateway.edge.domain import secrets_hashing
from gateway.edge.domain.routes import SERVICES
from gateway.edge.domain.secrets_hashing import hash_secret
from gateway.edge.domain.tokens import ClientGrant
from gateway.edge.state import edge_state

# asgi_client's base URL: the address the built-in issuer names when no public URL is configured.
TESTSERVER = "http://testserver"

ECHO_HEADERS = (
    "x-request-id",
    "traceparent",
    "idempotency-key",
    "x-forwarded-for",
    "authorization",
    "host",
    "x-private",
    "cookie",
)


def echo_app(service: str, secret: str) -> FastAPI:
    """A stand-in service: answers with what reached it, including the verified identity."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/openapi.json")
    async def openapi() -> JSONResponse:
        return JSONResponse(
            {
                "openapi": "3.1.0",
                "info": {"title": service, "version": "1"},
                "paths": {
                    f"/api/v1/{service}-thing": {
                        "get": {
                            "operationId": "read_thing",
                            "summary": f"Read a {service} thing",
                            "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                            "responses": {
                                "200": {
                                    "description": "ok",
                                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                                }
                            },
                        }
                    },
                    "/healthz": {"get": {"responses": {"200": {"description": "ok"}}}},
                },
                "components": {"schemas": {"Thing": {"type": "object", "title": f"{service} thing"}}},
            }
        )

    @app.api_route(
        "/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"], include_in_schema=False
    )
    async def echo(request: Request, path: str) -> JSONResponse:
        token = request.headers.get(IDENTITY_HEADER)
        identity: dict[str, Any] | None = None
        if token:
            try:
                p = verify_identity(token, secret)
                identity = {"sub": p.subject, "roles": sorted(p.roles), "agency": p.agency, "bodies": sorted(p.bodies)}
                if p.offices:  # only where there are some, so the plain identities compare as before
                    identity["offices"] = sorted(p.offices)
            except jwt.PyJWTError:
                identity = {"invalid": True}
        return JSONResponse(
            {
                "service": service,
                "method": request.method,
                "path": "/" + path,
                "query": request.url.query,
                "identity": identity,
                "headers": {h: request.headers.get(h) for h in ECHO_HEADERS},
                "body": (await request.body()).decode(),
            },
            headers={"x-upstream": service, "connection": "x-secret-hop", "x-secret-hop": "1"},
        )

    return app


_KEY: list[Any] = []


@pytest.fixture(autouse=True)
def cheap_crypto(monkeypatch: pytest.MonkeyPatch) -> None:
    """One RSA key per test session and a light scrypt cost: both are deliberately slow, and each
    test starts from an empty database. The hash format records its cost, so verification is the
    same code; test_secrets_hashing checks the production cost."""
    if not _KEY:
        _KEY.append(signing_keys.new_private_key())
    monkeypatch.setattr(signing_keys, "new_private_key", lambda: _KEY[0])
    monkeypatch.setattr(secrets_hashing, "_N", 2**8)


async def _forget_shared_rate_buckets(database_url: str) -> None:
    """On PostgreSQL the buckets outlive a gateway (that is their point: every replica, and every
    restart, sees them): each test's gateway starts from full buckets, as a fresh install does."""
    if make_url(database_url).get_backend_name() != "postgresql":
        return
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(delete(rate_buckets))
    finally:
        await engine.dispose()


@pytest.fixture
def gateway(settings, db, bus) -> Callable[..., Any]:  # type: ignore[no-untyped-def]
    """``async with gateway(**setting_overrides, upstreams=...) as (client, runtime)``."""

    @asynccontextmanager
    async def make(upstreams: dict[str, Any] | None = None, **overrides: Any) -> AsyncIterator[Any]:
        s = settings.model_copy(update=overrides)
        secret = s.internal_auth_secret.get_secret_value()
        if upstreams is None:
            upstreams = {name: echo_app(name, secret) for name in SERVICES}
        app = create_service_app(definition(), s, db=db, bus=bus, extras={"upstream_apps": upstreams})
        async with asgi_client(app) as client:
            await _forget_shared_rate_buckets(s.database_url)
            yield client, app.state.runtime

    return make


@pytest.fixture
def bearer() -> Callable[..., Any]:
    """``await bearer(runtime, *roles, agency=..., subject=...)``: headers with a token of the gateway's issuer."""

    async def make(runtime, *roles: str, agency: str | None = None, subject: str = "test-client") -> dict[str, str]:  # type: ignore[no-untyped-def]
        edge = edge_state(runtime)
        async with runtime.db.session() as session:  # the edge checks that a token's client is active
            if await get_client(session, subject) is None:
                await insert_client(
                    session,
                    client_id=subject,
                    name=subject,
                    secret_hash=hash_secret("unused"),
                    roles=roles,
                    agency=agency,
                )
                await session.commit()
        grant = ClientGrant(subject, tuple(roles), agency)
        token, _ = await issue_token(edge.keys, edge.settings, grant, TESTSERVER)
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def echo_upstreams(settings) -> Callable[..., dict[str, Any]]:  # type: ignore[no-untyped-def]
    """``echo_upstreams(monitoring=other_app)``: the three echo services, some replaced."""

    def make(**replacements: Any) -> dict[str, Any]:
        secret = settings.internal_auth_secret.get_secret_value()
        apps = {name: echo_app(name, secret) for name in SERVICES}
        apps.update({name.replace("_", "-"): app for name, app in replacements.items()})
        return apps

    return make
