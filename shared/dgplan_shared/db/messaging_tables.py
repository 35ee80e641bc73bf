"""Each service's metadata, and the outbox and inbox tables every service declares in it (and in
its own migrations)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, String, Table, Text

from dgplan_shared.db.types import UtcDateTime


# One naming convention for every service, so constraint names are predictable in migrations.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def service_metadata() -> MetaData:
    """A service's own metadata (its database), with the shared naming convention."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def outbox_table(metadata: MetaData) -> Table:
    """Events written in the same transaction as the state change; the relay publishes them in id order."""
    return Table(
        "outbox",
        metadata,
        # BigInteger on PostgreSQL; SQLite only auto-increments an INTEGER PRIMARY KEY.
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("envelope", Text, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("published_at", UtcDateTime(), nullable=True),
        Index("ix_outbox_unpublished", "published_at", "id"),
    )


def inbox_table(metadata: MetaData) -> Table:
    """One row per (consumer, source, event id) handled; inserted in the handler's transaction."""
    return Table(
        "inbox",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("source", String(200), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("processed_at", UtcDateTime(), nullable=False),
    )
