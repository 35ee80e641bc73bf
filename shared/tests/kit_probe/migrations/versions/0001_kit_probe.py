"""messaging, idempotency keys and things

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from dgplan_shared.db.migration_ops import (
    create_idempotency_keys, create_outbox_and_inbox, drop_idempotency_keys, drop_outbox_and_inbox,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_outbox_and_inbox()
    create_idempotency_keys()
    op.create_table(
        "things",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("budget", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_things")),
        sa.UniqueConstraint("name", name=op.f("uq_things_name")),
    )


def downgrade() -> None:
    op.drop_table("things")
    drop_idempotency_keys()
    drop_outbox_and_inbox()
