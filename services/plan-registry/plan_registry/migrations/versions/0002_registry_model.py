"""registry model: agencies, plans, versions, nodes, roles, links, observations, idempotency keys

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
    op.create_table('agencies',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_th', sa.Text(), nullable=False),
    sa.Column('name_en', sa.Text(), nullable=False),
    sa.Column('parent_code', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_code'], ['agencies.code'], name=op.f('fk_agencies_parent_code_agencies')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_agencies'))
    )
    op.create_table('idempotency_keys',
    sa.Column('scope', sa.String(length=300), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_table('plans',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title_th', sa.Text(), nullable=False),
    sa.Column('title_en', sa.Text(), nullable=False),
    sa.Column('start_fy', sa.Integer(), nullable=False),
    sa.Column('end_fy', sa.Integer(), nullable=False),
    sa.Column('predecessor_plan_id', sa.String(length=64), nullable=True),
    sa.Column('successor_plan_id', sa.String(length=64), nullable=True),
    sa.Column('latest_version_id', sa.String(length=64), nullable=True),
    sa.Column('approved_version_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('code', name=op.f('uq_plans_code'))
    )
    op.create_table('plan_versions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('based_on_version_id', sa.String(length=64), nullable=True),
    sa.Column('submitted_by', sa.String(length=200), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_body', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_versions_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_versions')),
    sa.UniqueConstraint('plan_id', 'number', name='uq_plan_versions_plan_id_number')
    )
    op.create_table('nodes',
    sa.Column('version_id', sa.String(length=64), nullable=False),
    sa.Column('node_id', sa.String(length=64), nullable=False),
    sa.Column('node_type', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.String(length=64), nullable=True),
    sa.Column('strategy_id', sa.String(length=64), nullable=True),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_th', sa.Text(), nullable=False),
    sa.Column('name_en', sa.Text(), nullable=False),
    sa.Column('budget_framework', sa.BigInteger(), nullable=True),
    sa.Column('start_fy', sa.Integer(), nullable=True),
    sa.Column('end_fy', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=True),
    sa.Column('declared_measures', sa.Integer(), nullable=True),
    sa.Column('declared_work_plans', sa.Integer(), nullable=True),
    sa.Column('declared_projects', sa.Integer(), nullable=True),
    sa.Column('attributes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_nodes_version_id_plan_versions')),
    sa.PrimaryKeyConstraint('version_id', 'node_id', name=op.f('pk_nodes')),
    sa.UniqueConstraint('version_id', 'code', name='uq_nodes_version_id_code')
    )
    with op.batch_alter_table('nodes', schema=None) as batch_op:
        batch_op.create_index('ix_nodes_node_id', ['node_id'], unique=False)

    op.create_table('observations',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('plan_id', sa.String(length=64), nullable=False),
    sa.Column('version_id', sa.String(length=64), nullable=False),
    sa.Column('node_id', sa.String(length=64), nullable=True),
    sa.Column('raised_by_body', sa.String(length=64), nullable=False),
    sa.Column('external_ref', sa.String(length=200), nullable=True),
    sa.Column('text_th', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('response_th', sa.Text(), nullable=True),
    sa.Column('response_en', sa.Text(), nullable=True),
    sa.Column('responded_by', sa.String(length=200), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution_reason', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_observations_plan_id_plans')),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_observations_version_id_plan_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations')),
    sa.UniqueConstraint('version_id', 'external_ref', name='uq_observations_version_id_external_ref')
    )
    op.create_table('node_links',
    sa.Column('version_id', sa.String(length=64), nullable=False),
    sa.Column('node_id', sa.String(length=64), nullable=False),
    sa.Column('link_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['version_id', 'node_id'], ['nodes.version_id', 'nodes.node_id'], name='fk_node_links_node'),
    sa.PrimaryKeyConstraint('version_id', 'node_id', 'link_type', 'target_id', name=op.f('pk_node_links'))
    )
    op.create_table('node_roles',
    sa.Column('version_id', sa.String(length=64), nullable=False),
    sa.Column('node_id', sa.String(length=64), nullable=False),
    sa.Column('agency_code', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['agency_code'], ['agencies.code'], name=op.f('fk_node_roles_agency_code_agencies')),
    sa.ForeignKeyConstraint(['version_id', 'node_id'], ['nodes.version_id', 'nodes.node_id'], name='fk_node_roles_node'),
    sa.PrimaryKeyConstraint('version_id', 'node_id', 'agency_code', 'role', name=op.f('pk_node_roles'))
    )
    with op.batch_alter_table('node_roles', schema=None) as batch_op:
        batch_op.create_index('ix_node_roles_agency_code', ['agency_code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('node_roles', schema=None) as batch_op:
        batch_op.drop_index('ix_node_roles_agency_code')

    op.drop_table('node_roles')
    op.drop_table('node_links')
    op.drop_table('observations')
    with op.batch_alter_table('nodes', schema=None) as batch_op:
        batch_op.drop_index('ix_nodes_node_id')

    op.drop_table('nodes')
    op.drop_table('plan_versions')
    op.drop_table('plans')
    op.drop_table('idempotency_keys')
    op.drop_table('agencies')
