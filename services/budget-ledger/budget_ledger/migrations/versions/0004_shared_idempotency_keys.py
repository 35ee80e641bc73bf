"""idempotency keys in the shared shape: answer columns required, created_at indexed (retention purge)

The ledger always stored the answer with the key, so no row lacks one; any that did could not be
replayed anyway and is dropped rather than blocking the upgrade. Every other row stays, so a retry
in flight during the upgrade still gets its first answer.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM idempotency_keys WHERE status_code IS NULL OR response IS NULL")
    with op.batch_alter_table("idempotency_keys") as batch_op:
        batch_op.alter_column("status_code", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("response", existing_type=sa.Text(), nullable=False)
    op.create_index(op.f("ix_idempotency_keys_created_at"), "idempotency_keys", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_idempotency_keys_created_at"), table_name="idempotency_keys")
    with op.batch_alter_table("idempotency_keys") as batch_op:
        batch_op.alter_column("response", existing_type=sa.Text(), nullable=True)
        batch_op.alter_column("status_code", existing_type=sa.Integer(), nullable=True)
