"""framework alignments and project continuity in the read models

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Expand only: a new table of the plans' "contributes to" links and a nullable column naming the
project a project continues. Existing rows get theirs from the next structure-published and
project events, or from ``dgplan-monitoring rebuild-read-models`` (which replays the consumed
events: the ones the registry published since its migration 0009 carry both).
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_SNAPSHOT_TABLES = ('rm_projects', 'rm_project_versions')


def upgrade() -> None:
    op.create_table('rm_alignments',
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('node_id', sa.String(length=64), nullable=False),
    sa.Column('framework', sa.String(length=100), nullable=False),
    sa.Column('framework_node', sa.String(length=100), nullable=False),
    sa.Column('node_type', sa.String(length=20), nullable=False),
    sa.Column('goal', sa.String(length=100), nullable=True),
    sa.Column('goal_title_th', sa.Text(), nullable=True),
    sa.Column('goal_title_en', sa.Text(), nullable=True),
    sa.Column('strength', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('plan_id', 'node_id', 'framework', 'framework_node', name=op.f('pk_rm_alignments'))
    )
    for table in _SNAPSHOT_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('continues_project_id', sa.String(length=64), nullable=True))
        op.create_index(op.f(f'ix_{table}_continues_project_id'), table, ['continues_project_id'], unique=False)


def downgrade() -> None:
    for table in _SNAPSHOT_TABLES:
        op.drop_index(op.f(f'ix_{table}_continues_project_id'), table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column('continues_project_id')
    op.drop_table('rm_alignments')
