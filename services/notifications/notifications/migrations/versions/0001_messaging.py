"""outbox, inbox and the Idempotency-Key table

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""
from dgplan_shared.db.migration_ops import (
    create_idempotency_keys,
    create_outbox_and_inbox,
    drop_idempotency_keys,
    drop_outbox_and_inbox,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_outbox_and_inbox()
    create_idempotency_keys()


def downgrade() -> None:
    drop_idempotency_keys()
    drop_outbox_and_inbox()
