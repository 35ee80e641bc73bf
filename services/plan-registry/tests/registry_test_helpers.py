"""Shared test helpers: event capture from the outbox, schema validation, governance envelopes."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jsonschema
from sqlalchemy import select

from dgplan_shared.bus.base import IncomingRecord
from dgplan_shared.events import CloudEvent

from plan_registry.adapters.tables import outbox


async def outbox_events(db, event_type: str | None = None) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    async with db.session() as s:
        rows = (await s.execute(select(outbox.c.envelope).order_by(outbox.c.id))).all()
    events = [json.loads(r.envelope) for r in rows]
    return [e for e in events if event_type is None or e["type"] == event_type]


def schema_for(event_type: str) -> dict[str, Any]:
    path = resources.files("plan_registry.events.schemas").joinpath(f"{event_type}.json")
    return json.loads(path.read_text())


def validate_event(envelope: dict[str, Any]) -> None:
    jsonschema.validate(envelope["data"], schema_for(envelope["type"]))


def governance_record(event_type: str, plan_id: str, data: dict[str, Any], offset: int = 0) -> IncomingRecord:
    event = CloudEvent.new("gateway", event_type, plan_id, {"plan_id": plan_id, **data})
    return IncomingRecord("gateway.plan-approval.events", 0, offset, plan_id, event.to_json(), [])
