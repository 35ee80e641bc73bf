"""approved projects: the project set of each plan's approved version

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

Until now every project monitoring heard of counted as part of its plan, including projects
proposed in drafts. The backfill keeps that set for plans already approved, so nothing that was
public disappears on upgrade; the next ``plan.version-approved`` event (which now lists the
version's projects) replaces it with the exact set.
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    approved = op.create_table('rm_approved_projects',
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('version_id', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('plan_id', 'project_id', name=op.f('pk_rm_approved_projects'))
    )
    op.create_index('ix_rm_approved_projects_project', 'rm_approved_projects', ['project_id'], unique=False)
    plans = sa.table('rm_plans', sa.column('plan_id', sa.String), sa.column('approved_version_id', sa.String))
    projects = sa.table('rm_projects', sa.column('project_id', sa.String), sa.column('plan_id', sa.String))
    op.execute(approved.insert().from_select(
        ['plan_id', 'project_id', 'version_id'],
        sa.select(projects.c.plan_id, projects.c.project_id, plans.c.approved_version_id)
        .join(plans, plans.c.plan_id == projects.c.plan_id)
        .where(plans.c.approved_version_id.is_not(None)),
    ))


def downgrade() -> None:
    op.drop_index('ix_rm_approved_projects_project', table_name='rm_approved_projects')
    op.drop_table('rm_approved_projects')
