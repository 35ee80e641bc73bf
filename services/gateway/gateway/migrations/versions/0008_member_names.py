"""governance: members' names on the bodies' rosters (a tally names people, not subject ids)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: members added before have no name until an operator (or the demo seed) gives one.
    with op.batch_alter_table("gov_members") as batch:
        batch.add_column(sa.Column("name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("gov_members") as batch:
        batch.drop_column("name")
