"""Per-request context (request id, W3C trace context) carried through logs and events."""

from __future__ import annotations

import contextvars
import os
import re
import uuid

from dgplan_shared import tracing

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
traceparent_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("traceparent", default=None)
correlation_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)
causation_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("causation_id", default=None)

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def valid_traceparent(value: str | None) -> str | None:
    """Return the header if it is a well-formed W3C traceparent, else None."""
    if not value:
        return None
    match = _TRACEPARENT.match(value.strip().lower())
    if not match or match.group(1) == "0" * 32 or match.group(2) == "0" * 16:
        return None
    return value.strip().lower()


def new_traceparent() -> str:
    return f"00-{os.urandom(16).hex()}-{os.urandom(8).hex()}-01"


def child_traceparent(parent: str | None) -> str:
    """Same trace, new span id: what a hop forwards downstream."""
    parent = valid_traceparent(parent)
    if parent is None:
        return new_traceparent()
    spanned = tracing.open_span_in_trace(parent)
    if spanned:
        return spanned  # a real span is open here: the next hop's span hangs under it
    trace_id = parent.split("-")[1]
    return f"00-{trace_id}-{os.urandom(8).hex()}-01"


def trace_id(traceparent: str | None) -> str | None:
    parent = valid_traceparent(traceparent)
    return parent.split("-")[1] if parent else None
