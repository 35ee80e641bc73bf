"""the shared idempotency-key table shape: (scope, key) with the answer as text

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Monitoring's own store keyed a key by (operation, caller, key) and kept the answer as JSON. The
shared command pipeline keys it by (caller|operation, key), the operation being the route's
method and path, and keeps the answer as JSON text. Rows are copied with their scope rewritten,
so a retry in flight during the upgrade still gets its first answer replayed.
"""
import json
import re

import sqlalchemy as sa
from alembic import op

from dgplan_shared.db.migration_ops import create_idempotency_keys, drop_idempotency_keys

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_PREFIX = "/api/v1/monitoring"
_ACTUALS = re.compile(r"^indicator-actuals\.(.+)$")


def _operation(old_scope: str) -> str | None:
    """The route (method and path) an old scope stood for; None for one no route uses any more."""
    if old_scope == "indicators.create":
        return f"POST {_PREFIX}/indicators"
    if old_scope == "progress-reports.submit":
        return f"POST {_PREFIX}/progress-reports"
    if match := _ACTUALS.match(old_scope):
        return f"POST {_PREFIX}/indicators/{match.group(1)}/actuals"
    return None


def _old_table() -> sa.Table:
    return sa.table(
        'idempotency_keys', sa.column('scope', sa.String), sa.column('subject', sa.String),
        sa.column('key', sa.String), sa.column('request_hash', sa.String), sa.column('status_code', sa.Integer),
        sa.column('response', sa.JSON), sa.column('created_at', sa.DateTime(timezone=True)),
    )


def _new_table() -> sa.Table:
    return sa.table(
        'idempotency_keys', sa.column('scope', sa.String), sa.column('key', sa.String),
        sa.column('request_hash', sa.String), sa.column('status_code', sa.Integer), sa.column('response', sa.Text),
        sa.column('created_at', sa.DateTime(timezone=True)),
    )


def _loaded(response):  # type: ignore[no-untyped-def]
    return json.loads(response) if isinstance(response, str) else response


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(_old_table())).mappings().all()
    op.drop_table('idempotency_keys')
    create_idempotency_keys()
    copied = []
    for row in rows:
        operation = _operation(row['scope'])
        if operation is None:
            continue
        copied.append({
            'scope': f"{row['subject']}|{operation}"[:300], 'key': row['key'],
            'request_hash': row['request_hash'], 'status_code': row['status_code'],
            'response': json.dumps(_loaded(row['response']), ensure_ascii=False, separators=(',', ':')),
            'created_at': row['created_at'],
        })
    if copied:
        op.bulk_insert(_new_table(), copied)


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(_new_table())).mappings().all()
    drop_idempotency_keys()
    op.create_table('idempotency_keys',
    sa.Column('scope', sa.String(length=100), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'subject', 'key', name=op.f('pk_idempotency_keys'))
    )
    restored = []
    for row in rows:
        subject, _, operation = row['scope'].partition('|')
        method, _, path = operation.partition(' ')
        rest = path.removeprefix(_PREFIX)
        if rest == "/indicators":
            old = "indicators.create"
        elif rest == "/progress-reports":
            old = "progress-reports.submit"
        elif rest.startswith("/indicators/") and rest.endswith("/actuals"):
            old = "indicator-actuals." + rest[len("/indicators/"):-len("/actuals")]
        else:
            continue
        restored.append({'scope': old, 'subject': subject, 'key': row['key'], 'request_hash': row['request_hash'],
                         'status_code': row['status_code'], 'response': json.loads(row['response']),
                         'created_at': row['created_at']})
    if restored:
        op.bulk_insert(_old_table(), restored)
