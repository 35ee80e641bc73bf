"""idempotency keys in the shared shape: the registry's table already had its columns and key;
the shared shape adds the index the daily purge of expired keys reads by.

Rows stay as they are, so a retry in flight during the upgrade still gets its first answer (the
shared store hashes a request as the registry did: sorted keys, compact, UTF-8).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_idempotency_keys_created_at"), "idempotency_keys", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_idempotency_keys_created_at"), table_name="idempotency_keys")
