"""Alignment to national frameworks and continuity between plans (issue 17)

Three tables: ``frameworks`` and ``framework_nodes`` (the National Strategy, its master plans, the
reform plans, the NESDP, the SDGs, each loaded as data), ``node_alignments`` (a plan node's
"contributes to" links, per version, primary or secondary with a rationale); and
``nodes.continues_project_id`` (a project continuing one of the predecessor plan).

Expand only: the previous release neither reads nor writes any of it, so it keeps serving during a
rolling upgrade (tests/upgrade).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "frameworks",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name_th", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_frameworks")),
    )
    op.create_table(
        "framework_nodes",
        sa.Column("framework_code", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_th", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["framework_code"], ["frameworks.code"],
                                name=op.f("fk_framework_nodes_framework_code_frameworks")),
        sa.PrimaryKeyConstraint("framework_code", "code", name=op.f("pk_framework_nodes")),
    )
    op.create_table(
        "node_alignments",
        sa.Column("version_id", sa.String(length=64), nullable=False),
        sa.Column("node_id", sa.String(length=64), nullable=False),
        sa.Column("framework_code", sa.String(length=64), nullable=False),
        sa.Column("framework_node_code", sa.String(length=64), nullable=False),
        sa.Column("strength", sa.String(length=20), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["version_id", "node_id"], ["nodes.version_id", "nodes.node_id"],
                                name="fk_node_alignments_node"),
        sa.PrimaryKeyConstraint("version_id", "node_id", "framework_code", "framework_node_code",
                                name=op.f("pk_node_alignments")),
    )
    op.create_index("ix_node_alignments_framework_node", "node_alignments", ["framework_code", "framework_node_code"])
    with op.batch_alter_table("nodes") as batch:
        batch.add_column(sa.Column("continues_project_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("nodes") as batch:
        batch.drop_column("continues_project_id")
    op.drop_index("ix_node_alignments_framework_node", table_name="node_alignments")
    op.drop_table("node_alignments")
    op.drop_table("framework_nodes")
    op.drop_table("frameworks")
