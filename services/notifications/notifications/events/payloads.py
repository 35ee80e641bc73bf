"""The data of events notifications publishes, and the webhook body it sends."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dgplan_shared.events import CloudEvent, dumps


def endpoint_disabled(endpoint: dict[str, Any], reason: str, at: datetime, delivery_id: str | None,
                      last_status_code: int | None) -> dict[str, Any]:
    return {
        "endpoint_id": endpoint["id"],
        "url": endpoint["url"],
        "agency": endpoint["agency"],
        "owner": endpoint["owner"],
        "reason": reason,
        "delivery_id": delivery_id,
        "last_status_code": last_status_code,
        "disabled_at": at.isoformat(),
    }


def webhook_body(event: CloudEvent) -> str:
    """Standard Webhooks payload: ``type`` (the CloudEvents type), ``timestamp`` (the event's time)
    and ``data`` (the whole CloudEvent, so receivers get its id, subject and trace context)."""
    return dumps({"type": event.type, "timestamp": event.time.isoformat(), "data": event.to_dict()}).decode()
