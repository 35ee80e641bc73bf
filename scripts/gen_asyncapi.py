"""Write docs/asyncapi.json: the AsyncAPI 3.0 document of every event, from the same catalogue as docs/events.md.

The catalogue (``gen_event_catalogue.catalogue``: the JSON Schemas the producers check in and the
handlers the consumers register) is the one source: each topic is a Kafka channel (with its
binding, the record key and the ``ce_*`` headers), each producer sends on its topics, each
consumer group receives, and every event type is also a webhook message (the Standard Webhooks
body ``{type, timestamp, data}``, signed, POSTed to a subscriber's URL). The gateway serves a copy
at ``/asyncapi.json`` (``services/gateway/gateway/edge/api/asyncapi.json``, package data).

    python scripts/gen_asyncapi.py           # write both files
    python scripts/gen_asyncapi.py --check   # exit 1 if either is stale
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_event_catalogue import catalogue  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = (ROOT / "docs" / "asyncapi.json", ROOT / "services" / "gateway" / "gateway" / "edge" / "api" / "asyncapi.json")
KAFKA_BINDING = "0.5.0"
HTTP_BINDING = "0.3.0"
# Schema keywords of the producers' draft 2020-12 documents that AsyncAPI Schema (draft 07) lacks
# or that would make a second resource of each copy; what they say is kept in the description.
_DROPPED = ("$schema", "$id")

CE_HEADERS = {
    "type": "object",
    "description": "CloudEvents attributes duplicated as Kafka record headers for routing (the value is the full envelope).",
    "properties": {
        "ce_id": {"type": "string"},
        "ce_type": {"type": "string"},
        "ce_source": {"type": "string"},
        "ce_subject": {"type": "string"},
        "ce_specversion": {"const": "1.0"},
        "traceparent": {"type": "string", "description": "W3C trace context, when the event has one."},
    },
}
WEBHOOK_HEADERS = {
    "type": "object",
    "description": "Standard Webhooks 1.0 headers: verify with standardwebhooks.Webhook(secret).verify(body, headers).",
    "required": ["webhook-id", "webhook-timestamp", "webhook-signature"],
    "properties": {
        "webhook-id": {"type": "string", "description": "Unique per event and endpoint; the same on every retry and replay."},
        "webhook-timestamp": {"type": "string", "pattern": "^[0-9]+$", "description": "Seconds since the epoch of this attempt."},
        "webhook-signature": {
            "type": "string",
            "description": "Space-separated `v1,<base64>` HMAC-SHA256 signatures of `id.timestamp.body`, one per secret in force (several during a rotation).",
        },
    },
}


def _message_id(event_type: str) -> str:
    return event_type


def _schema(path: str) -> dict[str, Any]:
    body = json.loads((ROOT / path).read_text())
    return {k: v for k, v in body.items() if k not in _DROPPED}


def document() -> dict[str, Any]:
    entries = catalogue()
    schemas: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    by_topic: dict[str, list[str]] = {}
    for event_type, entry in entries.items():
        if entry["schema"] is None:
            continue
        by_topic.setdefault(entry["topic"], []).append(event_type)
        schemas[event_type] = _schema(entry["schema"])
        consumers = ", ".join(sorted(entry["consumers"])) or "none yet"
        messages[event_type] = {
            "name": event_type,
            "title": event_type,
            "summary": f"Produced by {entry['producer']}; consumed by {consumers}.",
            "description": entry["description"],
            "contentType": "application/json",
            "headers": {"$ref": "#/components/schemas/kafka-ce-headers"},
            "payload": {"$ref": f"#/components/schemas/{event_type}"},
            "bindings": {"kafka": {"key": {"type": "string", "description": "The aggregate id (CloudEvents subject): per-aggregate order."},
                                   "bindingVersion": KAFKA_BINDING}},
        }
        messages[f"webhook.{event_type}"] = {
            "name": f"webhook.{event_type}",
            "title": f"{event_type} (webhook)",
            "summary": f"{event_type} delivered to a subscriber's webhook endpoint.",
            "contentType": "application/json",
            "headers": {"$ref": "#/components/schemas/webhook-headers"},
            "payload": {
                "type": "object",
                "required": ["type", "timestamp", "data"],
                "properties": {
                    "type": {"const": event_type},
                    "timestamp": {"type": "string", "format": "date-time", "description": "The event's time."},
                    "data": {"$ref": f"#/components/schemas/{event_type}"},
                },
            },
        }
    schemas["kafka-ce-headers"] = CE_HEADERS
    schemas["webhook-headers"] = WEBHOOK_HEADERS
    for topic, types in sorted(by_topic.items()):
        channels[topic] = {
            "address": topic,
            "title": topic,
            "description": "Topic per producing service and aggregate; record key = aggregate id. Dead letters of a consumer go to `<group>.dlq`.",
            "servers": [{"$ref": "#/servers/kafka"}],
            "messages": {t: {"$ref": f"#/components/messages/{t}"} for t in types},
            "bindings": {"kafka": {"topic": topic, "bindingVersion": KAFKA_BINDING}},
        }
        producer = entries[types[0]]["producer"]
        operations[f"{producer}.sends.{topic}"] = {
            "action": "send",
            "title": f"{producer} publishes {topic}",
            "description": "Through the transactional outbox and its relay (idempotent producer, acks=all).",
            "channel": {"$ref": f"#/channels/{topic}"},
            "messages": [{"$ref": f"#/channels/{topic}/messages/{t}"} for t in types],
        }
        for consumer in sorted({c for t in types for c in entries[t]["consumers"]}):
            handled = [t for t in types if consumer in entries[t]["consumers"]]
            operations[f"{consumer}.receives.{topic}"] = {
                "action": "receive",
                "title": f"{consumer} consumes {topic}",
                "description": "Through the inbox: one effect per event; offsets committed after the handler's commit.",
                "channel": {"$ref": f"#/channels/{topic}"},
                "messages": [{"$ref": f"#/channels/{topic}/messages/{t}"} for t in handled],
                "bindings": {"kafka": {"groupId": {"type": "string", "const": consumer}, "bindingVersion": KAFKA_BINDING}},
            }
    webhook_types = sorted(t for t in entries if entries[t]["schema"] is not None)
    channels["webhooks"] = {
        "address": None,
        "title": "Webhooks to a subscriber",
        "description": (
            "POSTed to the URL of a webhook endpoint subscribed under /api/v1/webhooks/endpoints, for the event types "
            "it chose and the agency it may see. 2xx is success; otherwise retried at 5 s, 5 min, 30 min, 2 h, 5 h, "
            "10 h, 14 h, 20 h and 24 h; 410 disables the endpoint."
        ),
        "servers": [{"$ref": "#/servers/subscriber"}],
        "messages": {f"webhook.{t}": {"$ref": f"#/components/messages/webhook.{t}"} for t in webhook_types},
    }
    operations["notifications.sends.webhooks"] = {
        "action": "send",
        "title": "notifications delivers signed webhooks",
        "channel": {"$ref": "#/channels/webhooks"},
        "messages": [{"$ref": f"#/channels/webhooks/messages/webhook.{t}"} for t in webhook_types],
        "bindings": {"http": {"method": "POST", "bindingVersion": HTTP_BINDING}},
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "dgplan events",
            "version": "1.0.0",
            "description": (
                "Every event dgplan services exchange over Kafka (CloudEvents 1.0 structured JSON), and the same events "
                "as signed webhooks to agency systems. Generated by scripts/gen_asyncapi.py from the producers' JSON "
                "Schemas, like docs/events.md."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "kafka": {"host": "kafka:9092", "protocol": "kafka", "description": "The deployment's Kafka cluster (internal)."},
            "subscriber": {"host": "subscriber.example", "protocol": "https",
                           "description": "A subscriber's webhook receiver (its endpoint URL)."},
        },
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
    }


def render() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        stale = [str(p.relative_to(ROOT)) for p in OUTPUTS if not p.exists() or p.read_text() != text]
        if stale:
            print(f"stale: {', '.join(stale)}: run .venv/bin/python scripts/gen_asyncapi.py", file=sys.stderr)
            return 1
        return 0
    for path in OUTPUTS:
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
