"""Audit tests: a seeded gateway app with its edge, bearer tokens of the built-in issuer."""

import pytest

from dgplan_shared.service import create_service_app
from dgplan_shared.testing.clients import asgi_client
from gateway.definition import definition
from gateway.edge.bearer_tokens import ClientGrant, issue_token
from gateway.edge.state import edge_state


@pytest.fixture
async def gateway_app(settings, db, bus):
    app = create_service_app(definition(), settings, db=db, bus=bus, extras={"upstream_apps": {}})
    async with asgi_client(app) as client:
        yield client, app.state.runtime


@pytest.fixture
def bearer(gateway_app):
    async def headers(*roles: str, subject: str = "auditor") -> dict[str, str]:
        edge = edge_state(gateway_app[1])
        token, _ = await issue_token(edge.keys, edge.settings, ClientGrant(subject, tuple(roles), None))
        return {"Authorization": f"Bearer {token}"}

    return headers
