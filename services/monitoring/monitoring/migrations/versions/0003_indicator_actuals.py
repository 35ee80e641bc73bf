"""indicator actuals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('indicator_actuals',
    sa.Column('actual_id', sa.String(length=64), nullable=False),
    sa.Column('indicator_id', sa.String(length=64), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('revision_reason', sa.Text(), nullable=True),
    sa.Column('value', sa.String(length=40), nullable=True),
    sa.Column('numerator', sa.String(length=40), nullable=True),
    sa.Column('denominator', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('submitted_by', sa.String(length=200), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.indicator_id'], name=op.f('fk_indicator_actuals_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('actual_id', name=op.f('pk_indicator_actuals')),
    sa.UniqueConstraint('indicator_id', 'fiscal_year', 'quarter', 'revision', name='uq_indicator_actuals_revision')
    )


def downgrade() -> None:
    op.drop_table('indicator_actuals')
