"""Use-case results as wire answers."""

from __future__ import annotations

from typing import Any

from notifications.adapters.delivery_repository import Delivery
from notifications.adapters.endpoint_repository import Endpoint
from notifications.adapters.notice_mail_repository import MailRow
from notifications.application.notice_settings import NoticeSettings


def endpoint(e: Endpoint) -> dict[str, Any]:
    return {
        "id": e.id, "url": e.url, "description": e.description, "event_types": e.event_types, "agency": e.agency,
        "owner": e.owner, "status": e.status, "disabled_reason": e.disabled_reason, "version": e.version,
        "created_at": e.created_at.isoformat(), "updated_at": e.updated_at.isoformat(),
    }


def delivery(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.id, "endpoint_id": d.endpoint_id, "event_id": d.event_id, "event_type": d.event_type,
        "event_time": d.event_time.isoformat(), "status": d.status, "attempt_count": d.attempts,
        "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
        "last_status_code": d.last_status_code, "created_at": d.created_at.isoformat(),
        "completed_at": d.completed_at.isoformat() if d.completed_at else None,
        "attempts": [
            {"attempted_at": a.attempted_at.isoformat(), "status_code": a.status_code, "latency_ms": a.latency_ms,
             "error": a.error}
            for a in d.history
        ],
    }


def notice_settings(s: NoticeSettings) -> dict[str, Any]:
    c = s.contact
    return {
        "subject": s.subject,
        "contact": None if c is None else {"email": c.email, "language": c.language, "agency": c.agency,
                                           "version": c.version, "updated_at": c.updated_at.isoformat()},
        "preferences": s.preferences,
    }


def notice_mail(m: MailRow) -> dict[str, Any]:
    return {
        "id": m.id, "kind": m.kind, "status": m.status, "notices": m.notices, "attempts": m.attempts, "title": m.title,
        "to_address": m.to_address, "last_error": m.last_error, "created_at": m.created_at.isoformat(),
        "not_before": m.not_before.isoformat(), "sent_at": m.sent_at.isoformat() if m.sent_at else None,
    }
