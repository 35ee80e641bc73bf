"""node_roles.demo: roles the demo layer of ``make run`` assigns, told apart from the plan's own

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("node_roles") as batch:
        batch.add_column(sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("node_roles") as batch:
        batch.drop_column("demo")
