"""Events as the other services publish them (docs/events.md), and a way to feed them through
the notifications service's real inbox consumer; plus a live runtime with the delivery daemon."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from dgplan_contracts.identity import Principal
from dgplan_shared.bus.base import IncomingRecord
from dgplan_shared.bus.memory import InMemoryBus
from dgplan_shared.db.engine import Database
from dgplan_shared.events import CloudEvent, topic_for
from dgplan_shared.service import Runtime, build_runtime
from notifications import daemons
from notifications.adapters.secret_box import SecretBox
from notifications.application import create_endpoint
from notifications.definition import definition
from notifications.domain.url_policy import Allowlist
from notifications.settings import Settings


def project_registered(project_id: str, lead: str) -> CloudEvent:
    return CloudEvent.new("plan-registry", "dgplan.plan-registry.project.registered.v1", project_id, {
        "project_id": project_id, "code": project_id, "plan_id": "plan-dgdp", "strategy_id": "plan-dgdp-S1",
        "measure_id": "plan-dgdp-S1-M1", "work_plan_id": None, "title": {"th": "โครงการ", "en": "Project"},
        "lead_agency": lead, "agencies": [{"agency": lead, "role": "lead"}], "start_fy": 2563, "end_fy": 2565,
        "status": "active", "target_ids": [], "version_id": "v1",
    })


def request_submitted(request_id: str, project_id: str, agency: str, round_id: str = "round-2565") -> CloudEvent:
    return CloudEvent.new("budget-ledger", "dgplan.budget-ledger.screening.request-submitted.v1", request_id, {
        "round_id": round_id, "request_id": request_id, "project_id": project_id, "agency": agency,
        "amount": "1000000.00",
    })


def decision_recorded(request_id: str, round_id: str = "round-2565") -> CloudEvent:
    # Names no agency: only the read model knows whose request it is.
    return CloudEvent.new("budget-ledger", "dgplan.budget-ledger.screening.decision-recorded.v1", request_id, {
        "round_id": round_id, "request_id": request_id, "decision": "recommend_full",
        "recommended_amount": "1000000.00", "rank": 1, "reason": "ตรงยุทธศาสตร์",
    })


def round_opened(round_id: str = "round-2565") -> CloudEvent:
    return CloudEvent.new("budget-ledger", "dgplan.budget-ledger.screening.round-opened.v1", round_id, {
        "round_id": round_id, "plan_id": "plan-dgdp", "fiscal_year": 2565, "ceiling": "5000000.00",
        "submission_deadline": "2021-12-01T00:00:00Z", "decision_deadline": "2022-01-15T00:00:00Z",
    })


def package_submitted(round_id: str = "round-2565") -> CloudEvent:
    return CloudEvent.new("budget-ledger", "dgplan.budget-ledger.screening.package-submitted.v1", round_id, {
        "round_id": round_id, "fiscal_year": 2565, "recommended_total": "1000000.00", "request_count": 2,
    })


async def feed(runtime: Runtime, *events: CloudEvent) -> list[str]:
    consumer = runtime.consumer()
    return [await consumer.handle_record(IncomingRecord(topic_for(e.type), 0, i, e.subject, e.to_json()))
            for i, e in enumerate(events)]


async def subscribe(runtime: Runtime, url: str, principal: Principal, event_types: list[str] | None = None,
                    agency: str | None = None) -> create_endpoint.CreatedEndpoint:
    command = create_endpoint.CreateEndpoint(principal, url, "test receiver", event_types or ["*"], agency,
                                             Allowlist.parse(runtime.settings.webhook_allowlist),  # type: ignore[attr-defined]
                                             SecretBox.from_setting(runtime.settings.secret_keys.get_secret_value()))  # type: ignore[attr-defined]
    async with runtime.uow() as uow:
        created = await create_endpoint.handle(command, uow)
        await uow.commit()
    return created


def live_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(database_url=database_url, bus="memory", webhook_allowlist="127.0.0.1",
                                  webhook_schedule_factor=0.01, webhook_jitter=0.0,
                                  webhook_poll_interval_seconds=0.02, webhook_lease_seconds=20)
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def live_runtime(database_url: str, *, daemon: bool = True, **overrides: Any) -> AsyncIterator[Runtime]:
    """A runtime on a committed database, with the real delivery daemon running beside it."""
    settings = live_settings(database_url, **overrides)
    db = Database.from_url(database_url)
    runtime = build_runtime(definition(), settings, db, InMemoryBus())
    stop = asyncio.Event()
    task = asyncio.create_task(daemons.run(runtime, stop)) if daemon else None
    try:
        yield runtime
    finally:
        stop.set()
        if task is not None:
            await task
        await db.dispose()


def principal(role: str, agency: str | None = None) -> Principal:
    return Principal(subject=f"{role}-{agency or 'all'}-{uuid.uuid4().hex[:6]}", roles=frozenset({role}),
                     agency=agency)
