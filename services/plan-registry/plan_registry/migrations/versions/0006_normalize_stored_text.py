"""stored text spelled as new text is: the one normalization (NFC, Thai spelled one way)

Request bodies are normalized on the way in (``Strict``), and search terms the same way; rows
written before that keep, say, SARA AM typed as NIKHAHIT + SARA AA, which a search for the usual
spelling would miss. This rewrites them once. There is no way back (nor a need: the downgrade
leaves the text as it is).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
import json

import sqlalchemy as sa
from alembic import op

from dgplan_shared.text import normalize_text

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# table -> (key columns, text columns, JSON text columns)
_TEXT = {
    "agencies": (("code",), ("name_th", "name_en"), ()),
    "plans": (("id",), ("title_th", "title_en"), ()),
    "nodes": (("version_id", "node_id"), ("name_th", "name_en"), ("attributes",)),
    "observations": (("id",), ("text_th", "text_en", "response_th", "response_en", "resolution_reason"), ()),
    "observation_history": (("id",), ("text_th", "text_en", "reason"), ()),
}


def _deep(value):  # type: ignore[no-untyped-def]
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, dict):
        return {k: _deep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep(v) for v in value]
    return value


def upgrade() -> None:
    bind = op.get_bind()
    for name, (keys, texts, documents) in _TEXT.items():
        table = sa.table(name, *(sa.column(c) for c in (*keys, *texts, *documents)))
        for row in bind.execute(sa.select(table)).mappings().all():
            changes = {c: normalize_text(row[c]) for c in texts if row[c] is not None and normalize_text(row[c]) != row[c]}
            for c in documents:
                if row[c] is not None:
                    # The registry's canonical JSON: sorted keys, compact, UTF-8.
                    fixed = json.dumps(_deep(json.loads(row[c])), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                    if fixed != row[c]:
                        changes[c] = fixed
            if changes:
                bind.execute(sa.update(table).where(*(table.c[k] == row[k] for k in keys)).values(**changes))


def downgrade() -> None:
    pass
