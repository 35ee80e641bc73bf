"""one screening round per plan and fiscal year (a unique index)

A database that already holds two rounds for the same plan and year cannot take the index: the
upgrade stops and names them, since which one is the real round is a decision for the secretariat
(not something a migration may guess).

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
    duplicates = op.get_bind().execute(sa.text(
        "SELECT plan_id, fiscal_year, COUNT(*) FROM screening_rounds GROUP BY plan_id, fiscal_year HAVING COUNT(*) > 1"
    )).all()
    if duplicates:
        listed = ", ".join(f"{plan} FY {year} ({count} rounds)" for plan, year, count in duplicates)
        raise RuntimeError(
            f"screening_rounds holds more than one round for: {listed}. Keep one round per plan and fiscal year "
            "(close and remove the others, moving their requests if needed), then upgrade again."
        )
    op.create_index("uq_screening_rounds_plan_fiscal_year", "screening_rounds", ["plan_id", "fiscal_year"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_screening_rounds_plan_fiscal_year", table_name="screening_rounds")
