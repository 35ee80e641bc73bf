"""webhook signing secrets encrypted at rest (Fernet)

Existing plaintext secrets are encrypted with the first of ``NOTIFICATIONS_SECRET_KEYS`` (the
development key when unset outside production), so the migration Job needs the same keys as the
service; a downgrade decrypts them back into the plaintext column.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

from notifications.adapters.secret_box import SecretBox
from notifications.settings import Settings

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLE = "webhook_endpoint_secrets"


def _box() -> SecretBox:
    # Built here, when the migration runs, from the same environment the service reads.
    return SecretBox.from_setting(Settings().secret_keys.get_secret_value())


def _rewrite(source: str, target: str, change) -> None:  # type: ignore[no-untyped-def]
    table = sa.table(TABLE, sa.column("id", sa.Integer), sa.column(source, sa.Text), sa.column(target, sa.Text))
    connection = op.get_bind()
    for row_id, value in connection.execute(sa.select(table.c.id, table.c[source])).all():
        connection.execute(sa.update(table).where(table.c.id == row_id).values({target: change(value)}))


def upgrade() -> None:
    box = _box()
    op.add_column(TABLE, sa.Column("encrypted_secret", sa.Text(), nullable=True))
    _rewrite("secret", "encrypted_secret", box.seal)
    with op.batch_alter_table(TABLE) as batch:
        batch.alter_column("encrypted_secret", existing_type=sa.Text(), nullable=False)
        batch.drop_column("secret")


def downgrade() -> None:
    box = _box()
    op.add_column(TABLE, sa.Column("secret", sa.String(length=200), nullable=True))
    _rewrite("encrypted_secret", "secret", box.open)
    with op.batch_alter_table(TABLE) as batch:
        batch.alter_column("secret", existing_type=sa.String(length=200), nullable=False)
        batch.drop_column("encrypted_secret")
