"""Tables of the built-in issuer's person accounts and its authorization-code flow."""

from sqlalchemy import Column, String, Table, Boolean, Integer

from dgplan_shared.db.types import UtcDateTime
from gateway.metadata import metadata

people = Table(
    "edge_people",
    metadata,
    Column("username", String(100), primary_key=True),
    # The token's `sub`; governance memberships name it, exactly as they name a client's id.
    Column("subject", String(100), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    # argon2id, in the PHC string format: never the password itself.
    Column("password_hash", String(300), nullable=False),
    Column("roles", String(300), nullable=False),  # space-separated, as for clients
    Column("agency", String(32), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Where a client may have the browser sent back with a code (exact match, RFC 6749 §3.1.2.3).
client_redirect_uris = Table(
    "edge_client_redirect_uris",
    metadata,
    Column("client_id", String(100), primary_key=True),
    Column("redirect_uri", String(500), primary_key=True),
)

authorization_codes = Table(
    "edge_authorization_codes",
    metadata,
    # SHA-256 of the code: a leaked table row cannot be redeemed.
    Column("code_hash", String(64), primary_key=True),
    Column("client_id", String(100), nullable=False),
    Column("username", String(100), nullable=False),
    Column("redirect_uri", String(500), nullable=False),
    Column("code_challenge", String(128), nullable=False),
    Column("scope", String(300), nullable=False),
    Column("nonce", String(200), nullable=True),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)
