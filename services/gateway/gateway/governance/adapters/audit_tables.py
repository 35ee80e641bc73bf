"""Tables owned by the gateway's audit part (defined on the gateway's shared metadata).

``audit_log`` is append-only and hash-chained; ``audit_head`` is one row holding the chain's
last seq and hash: appenders lock it, so concurrent appends serialize, and a verifier can tell a
truncated tail from a complete chain.
"""

from sqlalchemy import JSON, BigInteger, Column, Integer, String, Table, Text

from dgplan_shared.db.types import UtcDateTime
from gateway.metadata import metadata

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("acting_as", String(200), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(200), nullable=False),
    Column("decision", String(64), nullable=True),
    Column("reason", Text, nullable=True),
    Column("payload", JSON, nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("hash", String(64), nullable=False),
)
