"""Tables owned by the gateway's edge part (defined on the gateway's shared metadata):
OAuth2 clients of the built-in issuer, its signing keys, and idempotency records of admin POSTs."""

from sqlalchemy import Boolean, Column, Integer, String, Table, Text

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

idempotency_records = Table(
    "edge_idempotency",
    metadata,
    Column("principal", String(200), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("operation", String(100), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("resource_id", String(200), nullable=False),
    # Random salt from which a created client's secret is re-derived on a retry (never stored).
    Column("secret_salt", String(64), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)
