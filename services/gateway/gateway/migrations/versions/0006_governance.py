"""governance: Idempotency-Keys move from gov_idempotency into the shared idempotency_keys table

Rows are copied so that a retry in flight during the upgrade still gets its first answer: the
shared scope is ``<subject>|POST <path>`` (the path is read back from the stored answer, which
names the instance, body or workflow it was about) and the request hash is the shared store's
hash of the engine's own request fingerprint, which is what the routes hand the pipeline.

A downgrade recreates gov_idempotency empty: a fingerprint cannot be recovered from its hash.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
import hashlib
import json

import sqlalchemy as sa
from alembic import op

from dgplan_shared.db.types import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SCOPE_LENGTH = 300
PREFIX = "/api/v1/governance"

_old = sa.table(
    "gov_idempotency",
    sa.column("subject", sa.String()),
    sa.column("key", sa.String()),
    sa.column("fingerprint", sa.String()),
    sa.column("status_code", sa.Integer()),
    sa.column("response", sa.JSON()),
    sa.column("created_at", UtcDateTime()),
)
_new = sa.table(
    "idempotency_keys",
    sa.column("scope", sa.String()),
    sa.column("key", sa.String()),
    sa.column("request_hash", sa.String()),
    sa.column("status_code", sa.Integer()),
    sa.column("response", sa.Text()),
    sa.column("created_at", UtcDateTime()),
)


def path_of(answer: dict) -> str | None:
    """The route a stored answer came from (each operation's answer has its own shape)."""
    if "vote" in answer and "instance" in answer:
        return f"{PREFIX}/instances/{answer['instance']['id']}/votes"
    if "decision" in answer and "instance" in answer:
        return f"{PREFIX}/instances/{answer['instance']['id']}/decisions"
    if "definition" in answer and "key" in answer:
        return f"{PREFIX}/workflows/{answer['key']}/versions"
    if {"body", "subject", "role"} <= answer.keys():
        return f"{PREFIX}/bodies/{answer['body']}/members"
    if {"code", "kind", "rule"} <= answer.keys():
        return f"{PREFIX}/bodies"
    return None


def shared_request_hash(fingerprint: str) -> str:
    """``dgplan_shared.db.idempotency.request_hash`` of the fingerprint string (its JSON form)."""
    return hashlib.sha256(json.dumps(fingerprint).encode()).hexdigest()


def upgrade() -> None:
    bind = op.get_bind()
    taken = {(r.scope, r.key) for r in bind.execute(sa.select(_new.c.scope, _new.c.key))}
    rows = []
    for old in bind.execute(sa.select(_old)).mappings():
        answer = old["response"]
        path = path_of(answer) if isinstance(answer, dict) else None
        if path is None:
            continue  # no route of today would look it up
        scope = f"{old['subject']}|POST {path}"[:SCOPE_LENGTH]
        if (scope, old["key"]) in taken:
            continue
        taken.add((scope, old["key"]))
        rows.append(
            {
                "scope": scope,
                "key": old["key"],
                "request_hash": shared_request_hash(old["fingerprint"]),
                "status_code": old["status_code"],
                "response": json.dumps(answer, ensure_ascii=False, separators=(",", ":")),
                "created_at": old["created_at"],
            }
        )
    if rows:
        op.bulk_insert(_new, rows)
    op.drop_table("gov_idempotency")


def downgrade() -> None:
    op.create_table(
        "gov_idempotency",
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("subject", "key", name=op.f("pk_gov_idempotency")),
    )
