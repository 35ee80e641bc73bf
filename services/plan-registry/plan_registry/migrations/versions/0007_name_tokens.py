"""nodes.name_tokens: newmm words of the names, filled for existing rows; search indexes on PostgreSQL

The word half of a list's ``q`` (bench/thai_search.py, docs/benchmarks.md). Existing rows are
filled here, in batches, with the registry's own tokenizer (``domain.search_text``: the one place
tokens are made, so filled and newly written rows agree). After 0006, so the text is normalized.

PostgreSQL also gets a GIN on ``to_tsvector('simple', name_tokens)`` and, when the pg_trgm
extension can be created (it needs the CREATE privilege on the database, or a superuser, once),
trigram GINs on ``lower(name_th)``, ``lower(name_en)`` and ``lower(code)`` for the substring
match. Without pg_trgm the substring match still works, unindexed (a warning says so).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
import logging

import sqlalchemy as sa
from alembic import op

from plan_registry.domain.search_text import name_tokens

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 500
TRGM_COLUMNS = ("name_th", "name_en", "code")
log = logging.getLogger(__name__)


def _fill(bind: sa.engine.Connection) -> None:
    nodes = sa.table("nodes", sa.column("version_id"), sa.column("node_id"), sa.column("name_th"),
                     sa.column("name_en"), sa.column("name_tokens"))
    write = (sa.update(nodes)
             .where(nodes.c.version_id == sa.bindparam("v"), nodes.c.node_id == sa.bindparam("n"))
             .values(name_tokens=sa.bindparam("t")))
    after: tuple[str, str] | None = None
    while True:
        # Keyset batches on the primary key: bounded memory however many versions there are.
        query = sa.select(nodes.c.version_id, nodes.c.node_id, nodes.c.name_th, nodes.c.name_en)
        if after is not None:
            query = query.where(sa.tuple_(nodes.c.version_id, nodes.c.node_id) > sa.tuple_(*after))
        rows = bind.execute(query.order_by(nodes.c.version_id, nodes.c.node_id).limit(BATCH)).all()
        if not rows:
            return
        bind.execute(write, [{"v": r.version_id, "n": r.node_id, "t": name_tokens(r.name_th, r.name_en)} for r in rows])
        after = (rows[-1].version_id, rows[-1].node_id)


def _trigrams_available(bind: sa.engine.Connection) -> bool:
    try:
        with bind.begin_nested():  # a refusal must not abort the migration's transaction
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        return True
    except sa.exc.DBAPIError as exc:
        log.warning("pg_trgm not created (%s): the substring search stays unindexed; see the registry README "
                    "(a superuser creates the extension, then the ix_nodes_*_trgm indexes)", exc.orig)
        return False


def upgrade() -> None:
    with op.batch_alter_table("nodes") as batch:
        batch.add_column(sa.Column("name_tokens", sa.Text(), server_default="", nullable=False))
    bind = op.get_bind()
    _fill(bind)
    if bind.dialect.name != "postgresql":
        return
    op.create_index("ix_nodes_name_tokens_tsv", "nodes", [sa.text("to_tsvector('simple', name_tokens)")],
                    postgresql_using="gin")
    if _trigrams_available(bind):
        for column in TRGM_COLUMNS:
            op.execute(f"CREATE INDEX ix_nodes_{column}_trgm ON nodes USING gin (lower({column}) gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for column in TRGM_COLUMNS:
            op.execute(f"DROP INDEX IF EXISTS ix_nodes_{column}_trgm")
        op.drop_index("ix_nodes_name_tokens_tsv", table_name="nodes")
    # The extension stays: it may have been there before 0007 (nothing tells), and dropping it needs privileges.
    with op.batch_alter_table("nodes") as batch:
        batch.drop_column("name_tokens")
