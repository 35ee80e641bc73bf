"""the priority ranking of a round's requests (issue 17)

Criteria per round (set by the secretariat), scores per request and criterion with their reasons,
the ranking's own row (version, status, and once the committee approved the package, the cut line
as approved) and the ranks frozen at that approval. Rounds opened before this revision have no
criteria, so no ranking: nothing is invented for them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ranking_criteria",
        sa.Column("round_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_th", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("weight", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["screening_rounds.round_id"],
                                name=op.f("fk_ranking_criteria_round_id_screening_rounds")),
        sa.PrimaryKeyConstraint("round_id", "code", name=op.f("pk_ranking_criteria")),
    )
    op.create_table(
        "ranking_scores",
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("criterion", sa.String(length=50), nullable=False),
        sa.Column("round_id", sa.String(length=36), nullable=False),
        sa.Column("score", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("scored_by", sa.String(length=200), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["screening_requests.request_id"],
                                name=op.f("fk_ranking_scores_request_id_screening_requests")),
        sa.ForeignKeyConstraint(["round_id"], ["screening_rounds.round_id"],
                                name=op.f("fk_ranking_scores_round_id_screening_rounds")),
        sa.PrimaryKeyConstraint("request_id", "criterion", name=op.f("pk_ranking_scores")),
    )
    op.create_index("ix_ranking_scores_round", "ranking_scores", ["round_id", "request_id"], unique=False)
    op.create_table(
        "screening_rankings",
        sa.Column("round_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ceiling", sa.BigInteger(), nullable=True),
        sa.Column("above_count", sa.Integer(), nullable=True),
        sa.Column("above_total", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["screening_rounds.round_id"],
                                name=op.f("fk_screening_rankings_round_id_screening_rounds")),
        sa.PrimaryKeyConstraint("round_id", name=op.f("pk_screening_rankings")),
    )
    op.create_table(
        "ranking_results",
        sa.Column("round_id", sa.String(length=36), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("weighted_score", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("cumulative", sa.BigInteger(), nullable=False),
        sa.Column("above_cut_line", sa.Boolean(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["screening_requests.request_id"],
                                name=op.f("fk_ranking_results_request_id_screening_requests")),
        sa.ForeignKeyConstraint(["round_id"], ["screening_rounds.round_id"],
                                name=op.f("fk_ranking_results_round_id_screening_rounds")),
        sa.PrimaryKeyConstraint("round_id", "request_id", name=op.f("pk_ranking_results")),
    )
    op.create_index("ix_ranking_results_rank", "ranking_results", ["round_id", "rank"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_ranking_results_rank", table_name="ranking_results")
    op.drop_table("ranking_results")
    op.drop_table("screening_rankings")
    op.drop_index("ix_ranking_scores_round", table_name="ranking_scores")
    op.drop_table("ranking_scores")
    op.drop_table("ranking_criteria")
