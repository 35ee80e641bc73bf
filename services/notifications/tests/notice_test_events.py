"""The governance engine's events as notifications consumes them (docs/events.md), contacts for
test people, and a live runtime whose mail loop sends to a local SMTP server."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from dgplan_contracts.identity import AGENCY, BODY_MEMBER, Principal
from dgplan_shared.events import CloudEvent
from dgplan_shared.service import Runtime
from notifications.application import notice_settings

COMMITTEE = "digital-government-committee"
CONSOLE = "https://console.example.go.th"


def membership(body: str, subject: str, role: str = "member", active: bool = True, revision: int = 1) -> CloudEvent:
    return CloudEvent.new("gateway", "dgplan.gateway.body.membership-changed.v1", f"{body}:{subject}", {
        "body": body, "subject": subject, "role": role, "active": active, "revision": revision})


def stage_entered(instance_id: str | None = None, *, body: str = COMMITTEE, stage: str = "committee",
                  entry: int = 1, deadline: datetime | None = None, waits: bool = True,
                  workflow: str = "plan-approval") -> CloudEvent:
    instance_id = instance_id or str(uuid.uuid4())
    due = deadline or datetime.now(timezone.utc) + timedelta(days=14)
    return CloudEvent.new("gateway", "dgplan.gateway.workflow.stage-entered.v1", instance_id, {
        "instance_id": instance_id, "workflow": workflow, "definition_version": 1, "stage_entry": entry,
        "stage": stage, "status": "active", "mode": "vote" if waits else "external", "body": body,
        "waits_for_body": waits, "deadline": due.isoformat().replace("+00:00", "Z"),
        "entered_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        "plan_id": "plan-dgdp", "version_id": "ver-1", "round_id": None, "fiscal_year": None})


def stage_overdue(instance_id: str, *, body: str = COMMITTEE, stage: str = "committee",
                  deadline: str = "2021-03-01T00:00:00Z", escalated_to: str = COMMITTEE) -> CloudEvent:
    return CloudEvent.new("gateway", "dgplan.gateway.workflow.stage-overdue.v1", instance_id, {
        "instance_id": instance_id, "workflow": "plan-approval", "stage": stage, "body": body, "deadline": deadline,
        "escalated_to": escalated_to, "plan_id": "plan-dgdp", "version_id": "ver-1", "round_id": None})


def person(subject: str, *, agency: str | None = None) -> Principal:
    roles = frozenset({AGENCY}) if agency else frozenset({BODY_MEMBER})
    return Principal(subject=subject, roles=roles, agency=agency)


def address(subject: str) -> str:
    return f"{subject}@mail.example.go.th"


async def give_contact(runtime: Runtime, subject: str, language: str = "th", agency: str | None = None) -> None:
    async with runtime.uow() as uow:
        await notice_settings.set_contact(
            notice_settings.SetContact(person(subject, agency=agency), address(subject), language, None), uow)
        await uow.commit()


def mail_settings(port: int, **more: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False,
                                  notice_poll_interval_seconds=0.05, notice_retry_factor=0.001,
                                  console_url=CONSOLE, public_api_url="https://api.example.go.th")
    values.update(more)
    return values
