"""The shared tables' DDL for services' Alembic migrations, so that no service copies it.

A service's migration calls these; what they create matches ``messaging_tables`` and
``idempotency.idempotency_table`` exactly (the drift test checks every service at head).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dgplan_shared.db.idempotency import KEY_LENGTH, SCOPE_LENGTH, TABLE


def create_outbox_and_inbox() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_event_id")),
    )
    op.create_index("ix_outbox_unpublished", "outbox", ["published_at", "id"])
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "source", "event_id", name=op.f("pk_inbox")),
    )


def drop_outbox_and_inbox() -> None:
    op.drop_table("inbox")
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")


def create_idempotency_keys() -> None:
    op.create_table(
        TABLE,
        sa.Column("scope", sa.String(length=SCOPE_LENGTH), nullable=False),
        sa.Column("key", sa.String(length=KEY_LENGTH), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f(f"pk_{TABLE}")),
    )
    op.create_index(op.f(f"ix_{TABLE}_created_at"), TABLE, ["created_at"])


def drop_idempotency_keys() -> None:
    op.drop_index(op.f(f"ix_{TABLE}_created_at"), table_name=TABLE)
    op.drop_table(TABLE)
