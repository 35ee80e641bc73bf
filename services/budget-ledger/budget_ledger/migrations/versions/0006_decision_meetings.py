"""the meeting whose resolution a screening decision records

A request decision is the subcommittee's, recorded by its chair or secretary as the resolution of
a named meeting. Decisions recorded before this revision name no meeting: their columns stay NULL
(nothing is invented for them), and the history says so by showing none.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screening_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_meeting", sa.Text(), nullable=True))
    with op.batch_alter_table("request_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("request_history", schema=None) as batch_op:
        batch_op.drop_column("meeting")
    with op.batch_alter_table("screening_requests", schema=None) as batch_op:
        batch_op.drop_column("decision_meeting")
