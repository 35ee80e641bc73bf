"""screening tallies

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('screening_tallies',
    sa.Column('round_id', sa.String(length=36), nullable=False),
    sa.Column('strategy_id', sa.String(length=64), nullable=False),
    sa.Column('agency', sa.String(length=50), nullable=False),
    sa.Column('decision', sa.String(length=30), nullable=False),
    sa.Column('request_count', sa.Integer(), nullable=False),
    sa.Column('requested', sa.BigInteger(), nullable=False),
    sa.Column('recommended', sa.BigInteger(), nullable=False),
    sa.Column('approved', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['screening_rounds.round_id'], name=op.f('fk_screening_tallies_round_id_screening_rounds')),
    sa.PrimaryKeyConstraint('round_id', 'strategy_id', 'agency', 'decision', name=op.f('pk_screening_tallies'))
    )


def downgrade() -> None:
    op.drop_table('screening_tallies')
