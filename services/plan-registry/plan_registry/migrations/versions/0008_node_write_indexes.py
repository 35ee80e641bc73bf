"""Indexes for targeted node writes: a node's children (by parent) and the links to a node

A registration numbers its node among its siblings (max position of one type under one parent), a
move walks the moved subtree down, a removal asks for the node's children and for any link to it:
each of these reads a handful of rows through these indexes instead of the whole version
(issue 15: a registration costs the same at 100 nodes and at 10,000).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_nodes_version_id_parent_id", "nodes", ["version_id", "parent_id", "node_type", "position"])
    op.create_index("ix_node_links_version_id_target_id", "node_links", ["version_id", "target_id"])


def downgrade() -> None:
    op.drop_index("ix_node_links_version_id_target_id", table_name="node_links")
    op.drop_index("ix_nodes_version_id_parent_id", table_name="nodes")
