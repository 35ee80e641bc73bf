"""observation history: every response and resolution with who, when and why

Existing observations get the history their row still tells: raised (when, by which body),
the latest response (when, by whom, what), and a resolution or closure where the status says so.

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
    op.create_table(
        "observation_history",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("observation_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("text_th", sa.Text(), nullable=True),
        sa.Column("text_en", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["observation_id"], ["observations.id"],
                                name=op.f("fk_observation_history_observation_id_observations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation_history")),
    )
    op.create_index(op.f("ix_observation_history_observation_id"), "observation_history", ["observation_id"])
    op.execute(
        "INSERT INTO observation_history (observation_id, at, actor, action, status, text_th, text_en) "
        "SELECT id, created_at, raised_by_body, 'raised', 'open', text_th, text_en FROM observations"
    )
    op.execute(
        "INSERT INTO observation_history (observation_id, at, actor, action, status, text_th, text_en) "
        "SELECT id, responded_at, COALESCE(responded_by, 'unknown'), 'responded', 'responded', response_th, response_en "
        "FROM observations WHERE responded_at IS NOT NULL"
    )
    # A resolution's time was not kept: it happened by the closure, or by now at the latest.
    op.execute(
        "INSERT INTO observation_history (observation_id, at, actor, action, status, reason) "
        "SELECT id, COALESCE(closed_at, responded_at, created_at), raised_by_body, status, status, resolution_reason "
        "FROM observations WHERE status IN ('accepted', 'rejected')"
    )
    op.execute(
        "INSERT INTO observation_history (observation_id, at, actor, action, status, reason) "
        "SELECT id, COALESCE(closed_at, responded_at, created_at), raised_by_body, 'closed', 'closed', resolution_reason "
        "FROM observations WHERE status = 'closed'"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_observation_history_observation_id"), table_name="observation_history")
    op.drop_table("observation_history")
