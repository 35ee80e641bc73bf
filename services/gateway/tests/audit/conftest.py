"""Audit tests: a seeded gateway app with its edge, bearer tokens of the built-in issuer."""

import pytest

from dgplan_shared.service import create_service_app
from dgplan_shared.testing.clients import asgi_client
from gateway.definition import definition
from gateway.edge.application.bearer_tokens import issue_token
from gateway.edge.domain.tokens import ClientGrant
from gateway.edge.state import edge_state

# asgi_client's base URL: the address the built-in issuer names when no public URL is configured.
TESTSERVER = "http://testserver"


@pytest.fixture
async def gateway_app(settings, db, bus):
    app = create_service_app(definition(), settings, db=db, bus=bus, extras={"upstream_apps": {}})
    async with asgi_client(app) as client:
        yield client, app.state.runtime


@pytest.fixture
def bearer(gateway_app):
    async def headers(*roles: str, subject: str = "auditor") -> dict[str, str]:
        edge = edge_state(gateway_app[1])
        token, _ = await issue_token(edge.keys, edge.settings, ClientGrant(subject, tuple(roles), None), TESTSERVER)
        return {"Authorization": f"Bearer {token}"}

    return headers
