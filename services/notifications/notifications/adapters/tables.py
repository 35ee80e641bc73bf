"""The notifications service's tables (its own database; no other service reads it).

``rm_*`` tables are read models of other services' events, kept only to tell which agency an
event concerns. A delivery is one event for one endpoint; its ``id`` is the ``webhook-id`` the
receiver de-duplicates by, so a retry or a replay never gets a new one.
"""

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

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

# --- e-mail notices to people -------------------------------------------------------------
# Who belongs to which body: a copy kept from the governance engine's membership events (the
# engine owns it; its revision makes a stale redelivery harmless).
notice_members = Table(
    "notice_members",
    metadata,
    Column("body", String(64), primary_key=True),
    Column("subject", String(200), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("revision", Integer, nullable=False),
    Index("ix_notice_members_subject", "subject"),
)

# Where a person gets notices, kept by the person through the API (an external identity
# provider sends no person events, so this service owns the address it mails to).
notice_contacts = Table(
    "notice_contacts",
    metadata,
    Column("subject", String(200), primary_key=True),
    Column("email", String(320), nullable=False),
    Column("language", String(2), nullable=False),  # th | en
    # The agency the person acts for (set from their identity): submitter notices go to it.
    Column("agency", String(64), nullable=True),
    Column("version", Integer, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Index("ix_notice_contacts_agency", "agency"),
)

# Only the kinds a person turned off (or back on); no row = subscribed.
notice_preferences = Table(
    "notice_preferences",
    metadata,
    Column("subject", String(200), primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("subscribed", Boolean, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# The stage each workflow instance waits at (from stage-entered): the near-deadline notice is
# made from it by the daemon, once per stage entry.
notice_stages = Table(
    "notice_stages",
    metadata,
    Column("instance_id", String(64), primary_key=True),
    Column("stage_entry", Integer, nullable=False),
    Column("workflow", String(64), nullable=False),
    Column("stage", String(64), nullable=False),
    Column("body", String(64), nullable=True),
    Column("waiting", Boolean, nullable=False),
    Column("deadline", UtcDateTime(), nullable=True),
    Column("context", Text, nullable=False),  # JSON: plan_id, version_id, round_id, fiscal_year
    Column("near_noticed_at", UtcDateTime(), nullable=True),
    Index("ix_notice_stages_deadline", "waiting", "near_noticed_at", "deadline"),
)

# One thing to tell one person. ``dedupe_key`` names the fact (e.g. the overdue stage entry), so
# the same fact told twice (a redelivered or re-published event) is one notice.
notices = Table(
    "notices",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("subject", String(200), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("dedupe_key", String(300), nullable=False),
    Column("facts", Text, nullable=False),  # JSON: what the mail says and links to
    Column("mail_id", String(40), ForeignKey("notice_mails.id"), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("subject", "kind", "dedupe_key", name="uq_notices_subject_kind_key"),
    Index("ix_notices_mail_id", "mail_id"),
)

# A mail to one person about one kind: the digest of the notices attached to it. Sending is
# leased like a webhook delivery; a mail stops taking notices once it was first claimed.
mails = Table(
    "notice_mails",
    metadata,
    Column("id", String(40), primary_key=True),  # also the Message-ID's left part
    Column("subject", String(200), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("status", String(16), nullable=False),  # pending | sent | failed | dropped
    Column("not_before", UtcDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("lease_until", UtcDateTime(), nullable=True),
    Column("sealed", Boolean, nullable=False),  # claimed once: later notices go to the next mail
    Column("last_error", String(500), nullable=True),
    Column("to_address", String(320), nullable=True),
    Column("title", String(300), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("sent_at", UtcDateTime(), nullable=True),
    Index("ix_notice_mails_due", "status", "not_before"),
    Index("ix_notice_mails_subject_kind", "subject", "kind", "created_at"),
)
