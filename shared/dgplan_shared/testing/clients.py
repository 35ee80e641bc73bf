"""An httpx client over ASGI with the app's lifespan running, and identity headers for tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from dgplan_contracts.identity import Principal
from dgplan_contracts.assertion import IDENTITY_HEADER, sign_identity
from dgplan_shared.settings import ServiceSettings


@asynccontextmanager
async def asgi_client(app: FastAPI, base_url: str = "http://testserver") -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield client


def identity_headers(
    settings: ServiceSettings,
    subject: str = "test-user",
    roles: Iterable[str] = (),
    agency: str | None = None,
    bodies: Iterable[str] = (),
    offices: Iterable[str] = (),
) -> dict[str, str]:
    """What the gateway would forward for a caller with these roles and scopes (``offices``: the
    bodies in which the caller is chair or secretary)."""
    principal = Principal(
        subject=subject, roles=frozenset(roles), agency=agency, bodies=frozenset(bodies), offices=frozenset(offices)
    )
    return {IDENTITY_HEADER: sign_identity(principal, settings.internal_auth_secret.get_secret_value())}
