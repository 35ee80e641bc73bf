"""Tables owned by the gateway's edge part (defined on the gateway's shared metadata):
OAuth2 clients of the built-in issuer, its signing keys, and the shared rate-limit buckets.
(The admin POSTs' Idempotency-Keys live in the gateway's shared ``idempotency_keys`` table.)"""

from sqlalchemy import Boolean, Column, Float, Integer, String, Table, Text

from dgplan_shared.db.types import UtcDateTime
from gateway.metadata import metadata

oauth_clients = Table(
    "edge_clients",
    metadata,
    Column("client_id", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    # "scrypt$n$r$p$salt$hash": never the secret itself.
    Column("secret_hash", String(300), nullable=False),
    # Space-separated role names (a handful at most).
    Column("roles", String(300), nullable=False),
    Column("agency", String(32), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# The built-in issuer's RSA keys. Kept in the database so every replica signs and verifies with
# the same key; a production deployment uses an external identity provider instead.
signing_keys = Table(
    "edge_signing_keys",
    metadata,
    Column("kid", String(64), primary_key=True),
    Column("private_pem", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# Rate-limit token buckets every gateway replica shares (PostgreSQL deployments; one process
# keeps them in memory). ``refilled_at`` is the database's clock, so replicas' clocks never skew it.
rate_buckets = Table(
    "edge_rate_buckets",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("refilled_at", Float, nullable=False),
    Column("allowed", Boolean, nullable=False),
)
