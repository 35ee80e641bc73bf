"""Helpers for the governance tests: the gateway app with its edge (callers present bearer tokens
of the built-in issuer; the edge adds their bodies from the engine's memberships), a seeded
database, event delivery through the inbox, and outbox reads."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import httpx
import jsonschema
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from dgplan_shared.bus.base import IncomingRecord
from dgplan_shared.events import CloudEvent, topic_for
from dgplan_shared.service import Runtime, create_service_app
from dgplan_shared.testing.clients import asgi_client
from gateway.metadata import outbox
from gateway.definition import definition
from gateway.edge.application.bearer_tokens import issue_token
from gateway.edge.domain.tokens import ClientGrant
from gateway.edge.state import edge_state
from gateway.governance.application.seed import seed_governance
from gateway.settings import Settings

# asgi_client's base URL: the address the built-in issuer names when no public URL is configured.
TESTSERVER = "http://testserver"

SCHEMAS = Path(__file__).resolve().parents[2] / "gateway" / "governance" / "events" / "schemas"
_offsets = itertools.count()


@dataclass
class Gateway:
    client: httpx.AsyncClient
    runtime: Runtime
    app: FastAPI


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Memberships change inside tests: no edge cache between them and the next request.
    return Settings(database_url=database_url, bus="memory", membership_cache_seconds=0)


@pytest.fixture
async def gw(settings, db, bus):
    app = create_service_app(definition(), settings, db=db, bus=bus, extras={"upstream_apps": {}})
    async with asgi_client(app) as client:
        yield Gateway(client, app.state.runtime, app)


@pytest.fixture
def client(gw):
    return gw.client


@pytest.fixture
async def seeded(gw):
    await seed_governance(gw.runtime)
    return gw.runtime


@pytest.fixture
def auth(gw):
    """``await auth(*roles, subject=...)``: a bearer token of the gateway's own issuer."""

    async def headers(*roles: str, subject: str = "tester", agency: str | None = None, key: str | None = None):
        edge = edge_state(gw.runtime)
        token, _ = await issue_token(edge.keys, edge.settings, ClientGrant(subject, tuple(roles), agency), TESTSERVER)
        result = {"Authorization": f"Bearer {token}"}
        if key is not None:
            result["Idempotency-Key"] = key
        return result

    return headers


@pytest.fixture
def as_member(auth):
    """A body member's client: its bodies come from the engine's membership table via the edge."""

    async def headers(subject: str, key: str | None = None):
        return await auth("body_member", subject=subject, key=key)

    return headers


async def deliver_event(runtime, event_type: str, subject: str, data: dict) -> str:
    """Feed one event to the gateway's consumer exactly as the bus would (inbox path included)."""
    event = CloudEvent.new(event_type.split(".")[1], event_type, subject, data)
    record = IncomingRecord(
        topic=topic_for(event_type), partition=0, offset=next(_offsets), key=subject, value=event.to_json()
    )
    return await runtime.consumer().handle_record(record)


@pytest.fixture
def deliver(seeded):
    async def send(event_type: str, subject: str, data: dict) -> str:
        outcome = await deliver_event(seeded, event_type, subject, data)
        assert outcome == "processed", outcome
        return outcome

    return send


def schema_for(event_type: str) -> dict:
    return json.loads((SCHEMAS / f"{event_type}.json").read_text())


async def published(runtime, event_type: str | None = None) -> list[dict]:
    """The outbox's events; every one is checked against its published JSON Schema on the way."""
    async with runtime.db.session() as session:
        rows = (await session.execute(select(outbox.c.event_type, outbox.c.envelope).order_by(outbox.c.id))).all()
    envelopes = [json.loads(r.envelope) for r in rows]
    for envelope in envelopes:
        jsonschema.validate(envelope["data"], schema_for(envelope["type"]))
    return [e for e in envelopes if event_type is None or e["type"] == event_type]


@pytest.fixture
def outbox_events(seeded):
    async def read(event_type: str | None = None) -> list[dict]:
        return await published(seeded, event_type)

    return read
