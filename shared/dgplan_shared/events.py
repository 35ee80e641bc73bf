"""CloudEvents 1.0 envelope (structured JSON) and the naming rules for types and topics.

Type: ``dgplan.<service>.<aggregate>.<event>.v<N>`` (event in the past tense); the Kafka topic is
``<service>.<aggregate>.events`` and the record key is the aggregate id (``subject``), which keeps
each aggregate's events in order.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import orjson

from dgplan_shared.context import causation_id_var, child_traceparent, correlation_id_var, traceparent_var

TYPE_PATTERN = re.compile(r"^dgplan\.([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*)\.v([1-9][0-9]*)$")


class EnvelopeError(ValueError):
    """The bytes are not a dgplan CloudEvent (a poison message for consumers)."""


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_json_default)


def parse_type(event_type: str) -> tuple[str, str, str, int]:
    match = TYPE_PATTERN.match(event_type)
    if not match:
        raise EnvelopeError(f"event type {event_type!r} is not dgplan.<service>.<aggregate>.<event>.v<N>")
    service, aggregate, name, version = match.groups()
    return service, aggregate, name, int(version)


def topic_for(event_type: str) -> str:
    service, aggregate, _, _ = parse_type(event_type)
    return f"{service}.{aggregate}.events"


@dataclass(frozen=True)
class CloudEvent:
    id: str
    source: str
    type: str
    subject: str
    time: datetime
    data: dict[str, Any]
    correlationid: str | None = None
    causationid: str | None = None
    traceparent: str | None = None
    specversion: str = "1.0"
    datacontenttype: str = "application/json"
    extensions: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def new(cls, service: str, event_type: str, subject: str, data: dict[str, Any]) -> CloudEvent:
        """A new event caused by whatever the current request or consumed event is."""
        parse_type(event_type)
        event_id = str(uuid.uuid4())
        return cls(
            id=event_id,
            source=f"/dgplan/{service}",
            type=event_type,
            subject=str(subject),
            time=datetime.now(timezone.utc),
            # Round-trip through JSON so what is stored equals what consumers will read.
            data=orjson.loads(dumps(data)),
            correlationid=correlation_id_var.get() or event_id,
            causationid=causation_id_var.get(),
            traceparent=child_traceparent(traceparent_var.get()),
        )

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "specversion": self.specversion,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "subject": self.subject,
            "time": self.time.isoformat().replace("+00:00", "Z"),
            "datacontenttype": self.datacontenttype,
            "data": self.data,
        }
        for name in ("correlationid", "causationid", "traceparent"):
            value = getattr(self, name)
            if value:
                body[name] = value
        body.update(self.extensions)
        return body

    def to_json(self) -> bytes:
        return dumps(self.to_dict())

    @classmethod
    def from_json(cls, raw: bytes | str) -> CloudEvent:
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise EnvelopeError(f"not JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise EnvelopeError("envelope is not a JSON object")
        missing = [k for k in ("specversion", "id", "source", "type") if not isinstance(body.get(k), str)]
        if missing:
            raise EnvelopeError(f"envelope lacks {', '.join(missing)}")
        if body["specversion"] != "1.0":
            raise EnvelopeError(f"unsupported specversion {body['specversion']}")
        try:
            time = datetime.fromisoformat(str(body.get("time", "")).replace("Z", "+00:00"))
        except ValueError as exc:
            raise EnvelopeError("envelope time is not ISO 8601") from exc
        data = body.get("data")
        if data is not None and not isinstance(data, dict):
            raise EnvelopeError("envelope data is not a JSON object")
        known = {"specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data",
                 "correlationid", "causationid", "traceparent"}
        return cls(
            id=body["id"],
            source=body["source"],
            type=body["type"],
            subject=str(body.get("subject", "")),
            time=time,
            data=data or {},
            correlationid=body.get("correlationid"),
            causationid=body.get("causationid"),
            traceparent=body.get("traceparent"),
            datacontenttype=body.get("datacontenttype", "application/json"),
            extensions={k: v for k, v in body.items() if k not in known},
        )

    def kafka_headers(self) -> list[tuple[str, bytes]]:
        """``ce_*`` headers duplicate the routing attributes so brokers' tools can filter without parsing."""
        headers = [
            ("ce_id", self.id),
            ("ce_type", self.type),
            ("ce_source", self.source),
            ("ce_subject", self.subject),
            ("ce_specversion", self.specversion),
        ]
        if self.traceparent:
            headers.append(("traceparent", self.traceparent))
        return [(k, v.encode()) for k, v in headers]
