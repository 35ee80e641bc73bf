"""ledger, screening and read models

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('appropriations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('strategy_id', sa.String(length=64), nullable=False),
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('expense_category', sa.String(length=20), nullable=False),
    sa.Column('agency', sa.String(length=50), nullable=True),
    sa.Column('framework', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('requested', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('recommended', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('approved', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('allocated', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('committed', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('disbursed', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('deferred', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('rejected', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('returned', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('entry_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('allocated <= approved', name=op.f('ck_appropriations_allocated_within_approved')),
    sa.CheckConstraint('approved <= recommended', name=op.f('ck_appropriations_approved_within_recommended')),
    sa.CheckConstraint('committed <= allocated', name=op.f('ck_appropriations_committed_within_allocated')),
    sa.CheckConstraint('disbursed <= committed', name=op.f('ck_appropriations_disbursed_within_committed')),
    sa.CheckConstraint('recommended + deferred + rejected + returned <= requested', name=op.f('ck_appropriations_screened_within_requested')),
    sa.CheckConstraint('requested >= 0 AND recommended >= 0 AND approved >= 0 AND allocated >= 0 AND committed >= 0 AND disbursed >= 0 AND deferred >= 0 AND rejected >= 0 AND returned >= 0 AND framework >= 0', name=op.f('ck_appropriations_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appropriations')),
    sa.UniqueConstraint('plan_id', 'strategy_id', 'project_id', 'fiscal_year', 'expense_category', name='uq_appropriations_key')
    )
    with op.batch_alter_table('appropriations', schema=None) as batch_op:
        batch_op.create_index('ix_appropriations_project', ['project_id', 'fiscal_year'], unique=False)

    op.create_table('idempotency_keys',
    sa.Column('scope', sa.String(length=300), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_table('plans',
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('plan_code', sa.String(length=100), nullable=True),
    sa.Column('version_id', sa.String(length=64), nullable=True),
    sa.Column('start_fy', sa.Integer(), nullable=True),
    sa.Column('end_fy', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('plan_id', name=op.f('pk_plans'))
    )
    op.create_table('projects',
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=True),
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('strategy_id', sa.String(length=64), nullable=False),
    sa.Column('lead_agency', sa.String(length=50), nullable=True),
    sa.Column('title_th', sa.Text(), nullable=True),
    sa.Column('title_en', sa.Text(), nullable=True),
    sa.Column('start_fy', sa.Integer(), nullable=True),
    sa.Column('end_fy', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=50), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('project_id', name=op.f('pk_projects'))
    )
    op.create_table('screening_rounds',
    sa.Column('round_id', sa.String(length=36), nullable=False),
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('ceiling', sa.BigInteger(), nullable=False),
    sa.Column('submission_deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decision_deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('approved_total', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('opened_by', sa.String(length=200), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('package_submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published', sa.Boolean(), server_default='0', nullable=False),
    sa.CheckConstraint('approved_total <= ceiling', name=op.f('ck_screening_rounds_approved_within_ceiling')),
    sa.PrimaryKeyConstraint('round_id', name=op.f('pk_screening_rounds'))
    )
    with op.batch_alter_table('screening_rounds', schema=None) as batch_op:
        batch_op.create_index('ix_screening_rounds_fy', ['fiscal_year', 'round_id'], unique=False)

    op.create_table('strategies',
    sa.Column('strategy_id', sa.String(length=64), nullable=False),
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('title_th', sa.Text(), nullable=True),
    sa.Column('title_en', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('strategy_id', name=op.f('pk_strategies'))
    )
    with op.batch_alter_table('strategies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_strategies_plan_id'), ['plan_id'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('entry_id', sa.String(length=36), nullable=False),
    sa.Column('appropriation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('strategy_id', sa.String(length=64), nullable=False),
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('expense_category', sa.String(length=20), nullable=False),
    sa.Column('agency', sa.String(length=50), nullable=True),
    sa.Column('round_id', sa.String(length=36), nullable=True),
    sa.Column('request_id', sa.String(length=36), nullable=True),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('posted_by', sa.String(length=200), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount <> 0', name=op.f('ck_ledger_entries_non_zero')),
    sa.ForeignKeyConstraint(['appropriation_id'], ['appropriations.id'], name=op.f('fk_ledger_entries_appropriation_id_appropriations')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_ledger_entries')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_ledger_entries_entry_id'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entries_appropriation', ['appropriation_id', 'seq'], unique=False)
        batch_op.create_index('ix_ledger_entries_project', ['project_id', 'seq'], unique=False)
        batch_op.create_index('ix_ledger_entries_request', ['request_id'], unique=False)

    op.create_table('screening_requests',
    sa.Column('request_id', sa.String(length=36), nullable=False),
    sa.Column('round_id', sa.String(length=36), nullable=False),
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('strategy_id', sa.String(length=64), nullable=False),
    sa.Column('agency', sa.String(length=50), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('requested_total', sa.BigInteger(), nullable=False),
    sa.Column('recommended_total', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('approved_total', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('decision', sa.String(length=30), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.Column('multi_year', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('alignment', sa.Text(), nullable=True),
    sa.Column('amounts', sa.Text(), nullable=False),
    sa.Column('recommended_amounts', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('submitted_by', sa.String(length=200), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['screening_rounds.round_id'], name=op.f('fk_screening_requests_round_id_screening_rounds')),
    sa.PrimaryKeyConstraint('request_id', name=op.f('pk_screening_requests')),
    sa.UniqueConstraint('round_id', 'project_id', name='uq_screening_requests_round_project')
    )
    with op.batch_alter_table('screening_requests', schema=None) as batch_op:
        batch_op.create_index('ix_screening_requests_round_agency', ['round_id', 'agency'], unique=False)
        batch_op.create_index('ix_screening_requests_round_decision', ['round_id', 'decision'], unique=False)
        batch_op.create_index('ix_screening_requests_round_strategy', ['round_id', 'strategy_id'], unique=False)

    op.create_table('request_history',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('request_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('decision', sa.String(length=30), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['screening_requests.request_id'], name=op.f('fk_request_history_request_id_screening_requests')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_request_history'))
    )
    with op.batch_alter_table('request_history', schema=None) as batch_op:
        batch_op.create_index('ix_request_history_request', ['request_id', 'seq'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('request_history', schema=None) as batch_op:
        batch_op.drop_index('ix_request_history_request')

    op.drop_table('request_history')
    with op.batch_alter_table('screening_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_screening_requests_round_strategy')
        batch_op.drop_index('ix_screening_requests_round_decision')
        batch_op.drop_index('ix_screening_requests_round_agency')

    op.drop_table('screening_requests')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entries_request')
        batch_op.drop_index('ix_ledger_entries_project')
        batch_op.drop_index('ix_ledger_entries_appropriation')

    op.drop_table('ledger_entries')
    with op.batch_alter_table('strategies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_strategies_plan_id'))

    op.drop_table('strategies')
    with op.batch_alter_table('screening_rounds', schema=None) as batch_op:
        batch_op.drop_index('ix_screening_rounds_fy')

    op.drop_table('screening_rounds')
    op.drop_table('projects')
    op.drop_table('plans')
    op.drop_table('idempotency_keys')
    with op.batch_alter_table('appropriations', schema=None) as batch_op:
        batch_op.drop_index('ix_appropriations_project')

    op.drop_table('appropriations')
