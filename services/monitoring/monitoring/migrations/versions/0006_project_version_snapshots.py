"""per-version project snapshots: an approved version keeps its wording while a draft changes it

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Until now monitoring kept one snapshot per project, the latest, so a later draft's edit of an
approved project (its title, say) reached the public scorecard before that draft was approved.
Existing rows name no version (``snapshot_version_id`` NULL), and are shown as before, latest;
the next approval, or ``dgplan-monitoring rebuild-read-models`` (which replays the consumed
events, whose project events carry ``version_id``), sets them right.
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('rm_projects') as batch:
        batch.add_column(sa.Column('version_id', sa.String(length=64), nullable=True))
    op.create_table('rm_project_versions',
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('version_id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=True),
    sa.Column('plan_id', sa.String(length=64), nullable=True),
    sa.Column('strategy_id', sa.String(length=64), nullable=True),
    sa.Column('measure_id', sa.String(length=64), nullable=True),
    sa.Column('work_plan_id', sa.String(length=64), nullable=True),
    sa.Column('title_th', sa.Text(), nullable=True),
    sa.Column('title_en', sa.Text(), nullable=True),
    sa.Column('lead_agency', sa.String(length=100), nullable=True),
    sa.Column('agencies', sa.JSON(), nullable=False),
    sa.Column('start_fy', sa.Integer(), nullable=True),
    sa.Column('end_fy', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=50), nullable=True),
    sa.Column('target_ids', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('project_id', 'version_id', name=op.f('pk_rm_project_versions'))
    )
    op.create_index(op.f('ix_rm_project_versions_plan_id'), 'rm_project_versions', ['plan_id'], unique=False)
    with op.batch_alter_table('rm_approved_projects') as batch:
        batch.add_column(sa.Column('snapshot_version_id', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('rm_approved_projects') as batch:
        batch.drop_column('snapshot_version_id')
    op.drop_index(op.f('ix_rm_project_versions_plan_id'), table_name='rm_project_versions')
    op.drop_table('rm_project_versions')
    with op.batch_alter_table('rm_projects') as batch:
        batch.drop_column('version_id')
