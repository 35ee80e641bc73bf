"""The notifications service's tables (its own database; no other service reads it).

``rm_*`` tables are read models of other services' events, kept only to tell which agency an
event concerns. A delivery is one event for one endpoint; its ``id`` is the ``webhook-id`` the
receiver de-duplicates by, so a retry or a replay never gets a new one.
"""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from dgplan_shared.db.idempotency import idempotency_table
from dgplan_shared.db.messaging_tables import inbox_table, outbox_table, service_metadata
from dgplan_shared.db.types import UtcDateTime

metadata = service_metadata()

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
idempotency_keys = idempotency_table(metadata)

endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("url", String(2000), nullable=False),
    Column("description", String(500), nullable=False),
    Column("event_types", Text, nullable=False),  # JSON list of filters
    # NULL: every agency's events (secretariat, operators); otherwise only this agency's and public ones.
    Column("agency", String(64), nullable=True),
    Column("owner", String(200), nullable=False),
    Column("status", String(16), nullable=False),  # active | disabled
    Column("disabled_reason", String(500), nullable=True),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("deleted_at", UtcDateTime(), nullable=True),
    Index("ix_webhook_endpoints_status", "status"),
)

endpoint_secrets = Table(
    "webhook_endpoint_secrets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("endpoint_id", String(40), ForeignKey("webhook_endpoints.id"), nullable=False, index=True),
    # Fernet-encrypted (``adapters.secret_box``): signing needs the secret itself (Standard Webhooks
    # signs with a shared secret), so it is encrypted, not hashed, with keys the database does not hold.
    Column("encrypted_secret", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=True),  # set on rotation: the overlap's end
)

deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", String(40), primary_key=True),  # the webhook-id
    Column("endpoint_id", String(40), ForeignKey("webhook_endpoints.id"), nullable=False),
    Column("event_id", String(64), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("event_time", UtcDateTime(), nullable=False),
    Column("body", Text, nullable=False),  # the exact JSON bytes signed and sent
    Column("status", String(16), nullable=False),  # pending | succeeded | failed
    Column("attempts", Integer, nullable=False),  # attempts since the last (re)schedule
    Column("next_attempt_at", UtcDateTime(), nullable=True),
    Column("lease_until", UtcDateTime(), nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("completed_at", UtcDateTime(), nullable=True),
    UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries_endpoint_event"),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at"),
)

attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery_id", String(40), ForeignKey("webhook_deliveries.id"), nullable=False, index=True),
    Column("attempted_at", UtcDateTime(), nullable=False),
    Column("status_code", Integer, nullable=True),  # NULL: no HTTP answer (refused, timed out)
    Column("latency_ms", Integer, nullable=False),
    Column("error", String(500), nullable=True),
)

rm_projects = Table(
    "rm_projects",
    metadata,
    Column("project_id", String(64), primary_key=True),
    Column("lead_agency", String(64), nullable=False),
)

rm_requests = Table(
    "rm_requests",
    metadata,
    Column("request_id", String(64), primary_key=True),
    Column("agency", String(64), nullable=False),
    Column("project_id", String(64), nullable=True),
)
