"""Wire models of the webhook subscription API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictBool

from dgplan_contracts.codes import Code
from dgplan_shared.web.models import Strict

Url = Annotated[str, Field(min_length=1, max_length=2000, description="https:// URL the webhooks are POSTed to")]
Filter = Annotated[str, Field(min_length=1, max_length=200)]
FILTERS_DESCRIPTION = (
    "Event types to receive: exact types (dgplan.budget-ledger.screening.decision-recorded.v1) or wildcards by "
    "service (dgplan.budget-ledger.*) or aggregate (dgplan.budget-ledger.screening.*); \"*\" for every type."
)


class EndpointIn(Strict):
    url: Url
    description: Annotated[str, Field(max_length=500)] = ""
    event_types: Annotated[list[Filter], Field(min_length=1, max_length=100, description=FILTERS_DESCRIPTION)] = ["*"]
    agency: Code | None = Field(
        default=None,
        description="Secretariat and operators only: scope the endpoint to one agency's events (default: every event).",
    )


class EndpointPatch(Strict):
    url: Url | None = None
    description: Annotated[str, Field(max_length=500)] | None = None
    event_types: Annotated[list[Filter], Field(min_length=1, max_length=100, description=FILTERS_DESCRIPTION)] | None = None
    # Strict: JSON true/false only (0, 1 or "yes" are refused, as the OpenAPI says).
    enabled: StrictBool | None = Field(default=None, description="false disables the endpoint; true enables it again.")


class RotateIn(Strict):
    overlap_seconds: Annotated[int, Field(ge=0, le=7 * 86400)] | None = Field(
        default=None, description="How long the old secret keeps signing beside the new one (default: a day).")


class ReplayIn(Strict):
    since: datetime = Field(description="Deliver again every delivery scheduled at or after this time.")


class EndpointOut(BaseModel):
    id: str
    url: str
    description: str
    event_types: list[str]
    agency: str | None = Field(description="The agency whose events it receives; null: every event.")
    owner: str
    status: Literal["active", "disabled"]
    disabled_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class CreatedEndpointOut(EndpointOut):
    secret: str = Field(description="The signing secret (whsec_…). Shown only in this answer: store it now.")


class RotatedSecretOut(BaseModel):
    endpoint_id: str
    secret: str = Field(description="The new signing secret (whsec_…), shown only in this answer.")
    previous_secret_expires_at: datetime


class AttemptOut(BaseModel):
    attempted_at: datetime
    status_code: int | None = Field(description="The receiver's HTTP status; null when it gave none.")
    latency_ms: int
    error: str | None


class DeliveryOut(BaseModel):
    id: str = Field(description="The webhook-id: the same on every retry and replay.")
    endpoint_id: str
    event_id: str
    event_type: str
    event_time: datetime
    status: Literal["pending", "succeeded", "failed"]
    attempt_count: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    created_at: datetime
    completed_at: datetime | None
    attempts: list[AttemptOut]


class EndpointPage(BaseModel):
    items: list[EndpointOut]
    next_cursor: str | None = None


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None = None


class ScheduledTestOut(BaseModel):
    delivery_id: str
    event_id: str


class ReplayedOut(BaseModel):
    endpoint_id: str
    scheduled: int = Field(description="Deliveries scheduled again (with their original webhook-ids).")


# --- e-mail notices ---------------------------------------------------------------------------
NoticeKind = Literal["decision-waiting", "deadline-near", "stage-overdue", "request-changed", "report-changed"]
KINDS_DESCRIPTION = (
    "decision-waiting: a decision waits for a body you belong to; deadline-near / stage-overdue: its deadline is "
    "near / passed; request-changed / report-changed: your agency's budget request or progress report moved on."
)


class ContactIn(Strict):
    email: Annotated[str, Field(min_length=3, max_length=254, description="Where notices are sent.")]
    language: Literal["th", "en"] = Field(default="th", description="Language of the notices (Thai by default).")


class PreferenceIn(Strict):
    subscribed: StrictBool = Field(description="false: no more mails of this kind; true: again.")


class ContactOut(BaseModel):
    email: str
    language: Literal["th", "en"]
    agency: str | None = Field(description="The agency whose request and report notices you get (from your identity).")
    version: int
    updated_at: datetime


class NoticeSettingsOut(BaseModel):
    subject: str
    contact: ContactOut | None = Field(description="null: no address yet, so no notices are made for you.")
    preferences: dict[str, bool] = Field(description=f"Each kind: true = mailed. {KINDS_DESCRIPTION}")


class NoticeMailOut(BaseModel):
    id: str
    kind: str
    status: Literal["pending", "sent", "failed", "dropped"] = Field(
        description="pending: queued (waiting for the digest window, a retry, or an SMTP server to be configured).")
    notices: int = Field(description="How many notices the mail carries (a digest carries several).")
    attempts: int
    title: str | None
    to_address: str | None
    last_error: str | None
    created_at: datetime
    not_before: datetime
    sent_at: datetime | None


class NoticeMailList(BaseModel):
    items: list[NoticeMailOut]


class UnsubscribedOut(BaseModel):
    kind: str
    subscribed: bool
