"""edge: admin POSTs' Idempotency-Keys into the shared table; shared rate-limit buckets

The edge's own ``edge_idempotency`` rows move into ``idempotency_keys`` (the command pipeline's one
shape), so a retry in flight during the upgrade still gets its first answer: the stored answer
is the client and the salt its secret is re-derived from, never the secret. A row is copied when
the request it answered can be rebuilt exactly (its old fingerprint is recomputed from the client
as stored now); a client renamed since its creation would not match its retry anyway.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import hashlib
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op

from dgplan_shared.db.types import UtcDateTime, utcnow

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_CLIENTS_PATH = "/api/v1/admin/clients"

clients = sa.table(
    "edge_clients",
    sa.column("client_id", sa.String), sa.column("name", sa.String), sa.column("roles", sa.String),
    sa.column("agency", sa.String), sa.column("active", sa.Boolean), sa.column("version", sa.Integer),
    sa.column("created_at", UtcDateTime()), sa.column("updated_at", UtcDateTime()),
)
old_keys = sa.table(
    "edge_idempotency",
    sa.column("principal", sa.String), sa.column("key", sa.String), sa.column("operation", sa.String),
    sa.column("fingerprint", sa.String), sa.column("resource_id", sa.String), sa.column("secret_salt", sa.String),
    sa.column("created_at", UtcDateTime()),
)
new_keys = sa.table(
    "idempotency_keys",
    sa.column("scope", sa.String), sa.column("key", sa.String), sa.column("request_hash", sa.String),
    sa.column("status_code", sa.Integer), sa.column("response", sa.Text), sa.column("created_at", UtcDateTime()),
)


def _sorted_json(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def _old_fingerprint(operation: str, payload: Any) -> str:
    return hashlib.sha256(operation.encode() + b"\0" + _sorted_json(payload)).hexdigest()


def _new_hash(payload: Any) -> str:  # dgplan_shared.db.idempotency.request_hash, frozen here
    return hashlib.sha256(_sorted_json(payload)).hexdigest()


def _public(row: Any) -> dict[str, Any]:
    return {
        "client_id": row.client_id, "name": row.name, "roles": row.roles.split(), "agency": row.agency,
        "active": row.active, "version": row.version, "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def _request(operation: str, client: dict[str, Any]) -> tuple[str, Any, int] | None:
    """(path, payload, status) of the request an old row answered."""
    if operation == "create-client":
        payload = {k: client[k] for k in ("client_id", "name", "roles", "agency")}
        return _CLIENTS_PATH, payload, 201
    if operation == "rotate-secret":
        return f"{_CLIENTS_PATH}/{client['client_id']}/secret", {"client_id": client["client_id"]}, 200
    return None


def upgrade() -> None:
    bind = op.get_bind()
    by_id = {row.client_id: _public(row) for row in bind.execute(sa.select(clients))}
    for row in bind.execute(sa.select(old_keys)).all():
        client = by_id.get(row.resource_id)
        found = _request(row.operation, client) if client is not None and row.secret_salt else None
        if found is None:
            continue
        path, payload, status = found
        if _old_fingerprint(row.operation, payload) != row.fingerprint:
            continue
        bind.execute(
            sa.insert(new_keys).values(
                scope=f"{row.principal}|POST {path}"[:300], key=row.key, request_hash=_new_hash(payload),
                status_code=status, response=orjson.dumps({"client": client, "secret_salt": row.secret_salt}).decode(),
                created_at=row.created_at,
            )
        )
    op.drop_table("edge_idempotency")
    op.create_table(
        "edge_rate_buckets",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("refilled_at", sa.Float(), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_edge_rate_buckets")),
    )


def downgrade() -> None:
    op.drop_table("edge_rate_buckets")
    op.create_table(
        "edge_idempotency",
        sa.Column("principal", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("operation", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("resource_id", sa.String(length=200), nullable=False),
        sa.Column("secret_salt", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key", name=op.f("pk_edge_idempotency")),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(new_keys).where(new_keys.c.scope.like(f"%|POST {_CLIENTS_PATH}%"))).all()
    for row in rows:
        principal, _, request = row.scope.rpartition("|POST ")
        answer = orjson.loads(row.response)
        if principal == "" or not isinstance(answer, dict) or "secret_salt" not in answer:
            continue
        operation = "create-client" if request == _CLIENTS_PATH else "rotate-secret"
        found = _request(operation, answer["client"])
        if found is None or found[0] != request:
            continue
        bind.execute(
            sa.insert(old_keys).values(
                principal=principal, key=row.key, operation=operation,
                fingerprint=_old_fingerprint(operation, found[1]), resource_id=answer["client"]["client_id"],
                secret_salt=answer["secret_salt"], created_at=row.created_at or utcnow(),
            )
        )
        bind.execute(sa.delete(new_keys).where(new_keys.c.scope == row.scope, new_keys.c.key == row.key))
