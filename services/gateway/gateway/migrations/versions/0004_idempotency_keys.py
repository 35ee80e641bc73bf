"""the shared idempotency-key table (the edge's and the engine's own stores move into it)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from dgplan_shared.db.migration_ops import create_idempotency_keys, drop_idempotency_keys

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_idempotency_keys()


def downgrade() -> None:
    drop_idempotency_keys()
