"""read models, indicators, progress reports

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consumed_events',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('event_type', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('envelope', sa.Text(), nullable=False),
    sa.Column('consumed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_consumed_events')),
    sa.UniqueConstraint('source', 'event_id', name=op.f('uq_consumed_events_source'))
    )
    op.create_table('idempotency_keys',
    sa.Column('scope', sa.String(length=100), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'subject', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_table('indicators',
    sa.Column('indicator_id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('name_th', sa.Text(), nullable=False),
    sa.Column('name_en', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('measure_type', sa.String(length=20), nullable=False),
    sa.Column('direction', sa.String(length=20), nullable=False),
    sa.Column('formula', sa.JSON(), nullable=True),
    sa.Column('baseline', sa.String(length=40), nullable=True),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('frequency', sa.String(length=20), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('link_type', sa.String(length=20), nullable=False),
    sa.Column('link_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('indicator_id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('code', name=op.f('uq_indicators_code'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index('ix_indicators_link', ['link_type', 'link_id'], unique=False)

    op.create_table('progress_reports',
    sa.Column('report_id', sa.String(length=64), nullable=False),
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('revision_reason', sa.Text(), nullable=True),
    sa.Column('percent_complete', sa.String(length=20), nullable=False),
    sa.Column('actuals', sa.JSON(), nullable=False),
    sa.Column('milestones', sa.JSON(), nullable=False),
    sa.Column('issues', sa.JSON(), nullable=False),
    sa.Column('narrative_th', sa.Text(), nullable=True),
    sa.Column('narrative_en', sa.Text(), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('agency', sa.String(length=100), nullable=False),
    sa.Column('submitted_by', sa.String(length=200), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('report_id', name=op.f('pk_progress_reports')),
    sa.UniqueConstraint('project_id', 'fiscal_year', 'quarter', 'revision', name='uq_progress_reports_quarter_revision')
    )
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.create_index('ix_progress_reports_project', ['project_id', 'fiscal_year', 'quarter'], unique=False)

    op.create_table('project_statuses',
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('at_risk', sa.Boolean(), nullable=False),
    sa.Column('as_of', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('project_id', name=op.f('pk_project_statuses'))
    )
    op.create_table('rm_budget_entries',
    sa.Column('entry_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('project_id', sa.String(length=64), nullable=True),
    sa.Column('plan_id', sa.String(length=64), nullable=True),
    sa.Column('strategy_id', sa.String(length=64), nullable=True),
    sa.Column('agency', sa.String(length=100), nullable=True),
    sa.Column('fiscal_year', sa.Integer(), nullable=True),
    sa.Column('expense_category', sa.String(length=100), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('posted_at', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('entry_id', name=op.f('pk_rm_budget_entries'))
    )
    with op.batch_alter_table('rm_budget_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rm_budget_entries_project_id'), ['project_id'], unique=False)

    op.create_table('rm_plan_targets',
    sa.Column('target_id', sa.String(length=64), nullable=False),
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=True),
    sa.Column('title_th', sa.Text(), nullable=True),
    sa.Column('title_en', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('target_id', name=op.f('pk_rm_plan_targets'))
    )
    with op.batch_alter_table('rm_plan_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rm_plan_targets_plan_id'), ['plan_id'], unique=False)

    op.create_table('rm_plans',
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=True),
    sa.Column('title_th', sa.Text(), nullable=True),
    sa.Column('title_en', sa.Text(), nullable=True),
    sa.Column('start_fy', sa.Integer(), nullable=True),
    sa.Column('end_fy', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.String(length=64), nullable=True),
    sa.Column('approved_version_id', sa.String(length=64), nullable=True),
    sa.Column('budget_framework', sa.BigInteger(), nullable=True),
    sa.Column('declared_measures', sa.Integer(), nullable=True),
    sa.Column('declared_work_plans', sa.Integer(), nullable=True),
    sa.Column('declared_projects', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('plan_id', name=op.f('pk_rm_plans'))
    )
    op.create_table('rm_projects',
    sa.Column('project_id', sa.String(length=64), nullable=False),
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
    sa.PrimaryKeyConstraint('project_id', name=op.f('pk_rm_projects'))
    )
    with op.batch_alter_table('rm_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rm_projects_plan_id'), ['plan_id'], unique=False)

    op.create_table('rm_strategies',
    sa.Column('strategy_id', sa.String(length=64), nullable=False),
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('title_th', sa.Text(), nullable=True),
    sa.Column('title_en', sa.Text(), nullable=True),
    sa.Column('budget_framework', sa.BigInteger(), nullable=True),
    sa.Column('declared_measures', sa.Integer(), nullable=True),
    sa.Column('declared_work_plans', sa.Integer(), nullable=True),
    sa.Column('declared_projects', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('strategy_id', name=op.f('pk_rm_strategies'))
    )
    with op.batch_alter_table('rm_strategies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rm_strategies_plan_id'), ['plan_id'], unique=False)

    op.create_table('indicator_targets',
    sa.Column('indicator_id', sa.String(length=64), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.indicator_id'], name=op.f('fk_indicator_targets_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('indicator_id', 'fiscal_year', name=op.f('pk_indicator_targets'))
    )


def downgrade() -> None:
    op.drop_table('indicator_targets')
    with op.batch_alter_table('rm_strategies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rm_strategies_plan_id'))

    op.drop_table('rm_strategies')
    with op.batch_alter_table('rm_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rm_projects_plan_id'))

    op.drop_table('rm_projects')
    op.drop_table('rm_plans')
    with op.batch_alter_table('rm_plan_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rm_plan_targets_plan_id'))

    op.drop_table('rm_plan_targets')
    with op.batch_alter_table('rm_budget_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rm_budget_entries_project_id'))

    op.drop_table('rm_budget_entries')
    op.drop_table('project_statuses')
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_reports_project')

    op.drop_table('progress_reports')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index('ix_indicators_link')

    op.drop_table('indicators')
    op.drop_table('idempotency_keys')
    op.drop_table('consumed_events')
