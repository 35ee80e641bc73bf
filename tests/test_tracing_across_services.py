"""One trace per request, across services: the secretariat opening a screening round at the gateway
is one trace from the gateway's span, through the ledger's (and its SQL), the relay's PRODUCER span
of the event it wrote, to the CONSUMER span of the governance engine starting the round's approval
(and its SQL) — read from an in-memory span exporter.

Here the suite is ``make run``'s (one process, in-process bus, which carries the same record
headers a Kafka record does); ``shared/tests/test_tracing_kafka.py`` proves the relay → Kafka →
consumer hop on a real broker."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from dgplan_shared import tracing
from dgplan_shared.embedded import serve
from dgplan_shared.net import free_port


def _secret(data_dir: Path, client_id: str) -> str:
    for line in (data_dir / "demo-clients.txt").read_text().splitlines():
        name, _, secret = line.partition(" ")
        if name == client_id:
            return secret.strip()
    raise AssertionError(f"{client_id} is not a demo client")


async def _the_plan(http: httpx.AsyncClient, headers: dict[str, str]) -> str:
    return (await http.get("/api/v1/plans", headers=headers)).json()["items"][0]["id"]


async def _wait_for(exporter: InMemorySpanExporter, found, seconds: float = 30):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        hit = found(exporter.get_finished_spans())
        if hit:
            return hit
        await asyncio.sleep(0.05)
    raise AssertionError("the consumer's span never came: " + ", ".join(
        f"{s.name}[{s.kind.name}]" for s in exporter.get_finished_spans() if not s.name.startswith(("SELECT", "BEGIN", "INSERT", "connect", "UPDATE", "COMMIT"))))


async def test_opening_a_round_is_one_trace_from_the_gateway_to_the_governance_engines_effect(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DGPLAN_DATA_DIR", str(tmp_path))  # where the embedded setup writes the demo clients
    exporter = InMemorySpanExporter()
    tracing.install(exporter, "dgplan-test", batch=False)
    port, ready, stop = free_port(), asyncio.Event(), asyncio.Event()
    suite = asyncio.create_task(serve("127.0.0.1", port, tmp_path, ready, stop))
    try:
        await asyncio.wait_for(ready.wait(), 180)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            token = (await http.post("/oauth2/token", data={"grant_type": "client_credentials"},
                                     auth=("demo-secretariat", _secret(tmp_path, "demo-secretariat")))).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            plan_id = await _the_plan(http, headers)
            exporter.clear()
            later = datetime.now(timezone.utc) + timedelta(days=30)
            posted = await http.post(
                "/api/v1/screening/rounds", headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
                json={"plan_id": plan_id, "fiscal_year": 2565, "ceiling": "5000000000.00", "title": "รอบทดสอบการติดตาม",
                      "submission_deadline": later.isoformat(), "decision_deadline": (later + timedelta(days=30)).isoformat()})
        assert posted.status_code == 201, posted.text
        trace_id = int(posted.headers["traceparent"].split("-")[1], 16)

        def consumed(spans):  # type: ignore[no-untyped-def]
            return [s for s in spans if s.kind == SpanKind.CONSUMER and s.context.trace_id == trace_id
                    and s.attributes.get("messaging.consumer.group.name") == "gateway"]

        applied = (await _wait_for(exporter, consumed))[0]
        await asyncio.sleep(0.2)  # the consumer's SQL spans end with its transaction
        spans = [s for s in exporter.get_finished_spans() if s.context.trace_id == trace_id]
        by_id = {s.context.span_id: s for s in spans}

        def chain(span):  # type: ignore[no-untyped-def]
            """From a span up to the trace's root, each as (kind, service or topic); FastAPI's own
            INTERNAL spans (dependencies, endpoint) between them are left out."""
            out = []
            while span is not None:
                if span.kind != SpanKind.INTERNAL:
                    out.append((span.kind, span.attributes.get("dgplan.service") or span.attributes.get("messaging.destination.name")))
                span = by_id.get(span.parent.span_id) if span.parent else None
            return out

        assert chain(applied) == [
            (SpanKind.CONSUMER, applied.attributes["messaging.destination.name"]),
            (SpanKind.PRODUCER, "budget-ledger"),
            (SpanKind.SERVER, "budget-ledger"),
            (SpanKind.SERVER, "gateway"),
        ]
        root = next(s for s in spans if s.parent is None)
        # The gateway's span is named by what it did (forward to the ledger), the ledger's by its route.
        assert {s.name for s in spans if s.kind == SpanKind.SERVER} == {"POST proxy:budget-ledger", "POST /api/v1/screening/rounds"}
        assert root.name == "POST proxy:budget-ledger" and root.attributes["http.response.status_code"] == 201
        assert applied.attributes["messaging.destination.name"].startswith("budget-ledger.")
        # The SQL of both ends of the event is in the same trace, under the spans that ran it.
        sql_parents = {by_id[s.parent.span_id].kind for s in spans if "db.system" in s.attributes
                       or "db.system.name" in s.attributes}
        assert {SpanKind.SERVER, SpanKind.CONSUMER} <= sql_parents, [s.name for s in spans]
    finally:
        stop.set()
        await asyncio.wait_for(suite, 60)
        tracing.uninstall()
