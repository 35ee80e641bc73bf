"""OpenTelemetry traces across the suite: a SERVER span for each HTTP request a service answers, a
PRODUCER span for each event the outbox relay publishes, a CONSUMER span for each event a consumer
applies, and the SQL beneath them (the SQLAlchemy instrumentation). They are one trace because the
W3C ``traceparent`` travels in the forwarded headers, the outbox envelope and the Kafka record
(``context.py``): the span a request opens becomes the ``traceparent`` its events carry.

Off by default. The standard variables turn it on: ``OTEL_TRACES_EXPORTER=otlp`` (or an
``OTEL_EXPORTER_OTLP_ENDPOINT`` / ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) with the exporter's own
``OTEL_*`` settings; ``OTEL_SDK_DISABLED=true`` wins over both. Tests pass their own exporter
(``install``). Off, every helper here is a no-op and the hand-made trace context of ``context.py``
(same trace id, new span id per hop) is what logs and events carry, as before."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.trace import SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()
_provider: TracerProvider | None = None

SERVER, PRODUCER, CONSUMER = SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER


def enabled() -> bool:
    return _provider is not None


def install(exporter: SpanExporter, service: str, *, batch: bool = True) -> TracerProvider:
    """Export spans to ``exporter`` from now on (apps and engines made after this call); a second call
    adds the exporter to the same provider. ``batch=False`` exports each span as it ends (tests read
    them at once)."""
    global _provider
    if _provider is None:
        # Not made the global provider: each user is handed it (the SQLAlchemy instrumentation, our
        # spans), so tests can turn tracing off and on again in one process.
        _provider = TracerProvider(resource=Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", service)}))
        # Every engine made from now on traces its SQL (db.engine calls create_async_engine through
        # its module, so the instrumentation's wrapper is the one it calls).
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor  # lazy: only with tracing on

        # skip_dep_check: the instrumentation declares sqlalchemy < 2.1, but the engine events it
        # hooks are unchanged in 2.1 (tests/test_tracing_across_services.py shows the SQL spans).
        SQLAlchemyInstrumentor().instrument(tracer_provider=_provider, skip_dep_check=True)
    _provider.add_span_processor(BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter))
    return _provider


def uninstall() -> None:
    """Tracing off again (tests): spans end and are flushed; engines made from now on trace nothing."""
    global _provider
    if _provider is None:
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor  # lazy: only with tracing on

    SQLAlchemyInstrumentor().uninstrument()
    _provider.shutdown()
    _provider = None


def configure_from_environment(service: str) -> bool:
    """Turn tracing on when the standard variables ask for it; True when it is on."""
    if os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    wanted = os.environ.get("OTEL_TRACES_EXPORTER", "").lower() == "otlp" or any(
        os.environ.get(v) for v in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
    if wanted and not enabled():
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter  # lazy: pulls in protobuf

        install(OTLPSpanExporter(), service)
    return enabled()


def _traceparent_of(span: trace.Span) -> str | None:
    context = span.get_span_context()
    if not context.is_valid:
        return None
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{int(context.trace_flags):02x}"


@contextmanager
def span(name: str, kind: SpanKind, parent: str | None, **attributes: Any) -> Iterator[str | None]:
    """A span under the W3C ``parent`` (a new trace without one); yields the span's own traceparent,
    which is what the work inside it hands on (events it writes, requests it forwards). Off, it
    yields ``parent`` unchanged."""
    if _provider is None:
        yield parent
        return
    context = _PROPAGATOR.extract({"traceparent": parent}) if parent else None
    tracer = _provider.get_tracer("dgplan")
    with tracer.start_as_current_span(name, context=context, kind=kind,
                                      attributes={k: v for k, v in attributes.items() if v is not None}) as current:
        yield _traceparent_of(current) or parent


def fastapi_telemetry() -> dict[str, Any]:
    """``FastAPI(telemetry=…)``: off. Its request span opens inside the middleware stack, so the
    gateway's proxied requests (answered by middleware) would have none and the request context
    would miss it; ``http.RequestContextMiddleware`` opens the SERVER span instead."""
    return {"tracing": False, "operation_spans": False, "metrics": False, "logs": False}


def name_server_span(scope: dict[str, Any], status: int) -> None:
    """Once routed, the SERVER span is named by the route's template (``GET /api/v1/plans/{plan_id}``,
    low cardinality; the gateway labels what it forwarded ``proxy:<service>``) and carries the status."""
    if _provider is None:
        return
    current = trace.get_current_span()
    template = getattr(scope.get("route"), "path", None)
    if template:
        current.update_name(f"{scope['method']} {template}")
        current.set_attribute("http.route", template)
    current.set_attribute("http.response.status_code", status)
    if status >= 500:
        current.set_status(trace.StatusCode.ERROR)


def open_span_in_trace(traceparent: str | None) -> str | None:
    """The traceparent of the span open here when it belongs to the same trace as ``traceparent``
    (the innermost one: the request's SERVER span or a span FastAPI opened inside it), so the next
    hop hangs under a real span rather than under a made-up span id. None when tracing is off."""
    if _provider is None or not traceparent:
        return None
    current = _traceparent_of(trace.get_current_span())
    if current is None or current.split("-")[1] != traceparent.split("-")[1]:
        return None
    return current
