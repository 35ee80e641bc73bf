"""e-mail notices: memberships and waiting stages (from governance events), people's contacts and
preferences, notices and the mails that carry them

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notice_members",
        sa.Column("body", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("body", "subject", name=op.f("pk_notice_members")),
    )
    op.create_index("ix_notice_members_subject", "notice_members", ["subject"])
    op.create_table(
        "notice_contacts",
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("agency", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_notice_contacts")),
    )
    op.create_index("ix_notice_contacts_agency", "notice_contacts", ["agency"])
    op.create_table(
        "notice_preferences",
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subscribed", sa.Boolean(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("subject", "kind", name=op.f("pk_notice_preferences")),
    )
    op.create_table(
        "notice_stages",
        sa.Column("instance_id", sa.String(length=64), nullable=False),
        sa.Column("stage_entry", sa.Integer(), nullable=False),
        sa.Column("workflow", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=64), nullable=False),
        sa.Column("body", sa.String(length=64), nullable=True),
        sa.Column("waiting", sa.Boolean(), nullable=False),
        sa.Column("deadline", TS, nullable=True),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("near_noticed_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("instance_id", name=op.f("pk_notice_stages")),
    )
    op.create_index("ix_notice_stages_deadline", "notice_stages", ["waiting", "near_noticed_at", "deadline"])
    op.create_table(
        "notice_mails",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("not_before", TS, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", TS, nullable=True),
        sa.Column("sealed", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("to_address", sa.String(length=320), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_mails")),
    )
    op.create_index("ix_notice_mails_due", "notice_mails", ["status", "not_before"])
    op.create_index("ix_notice_mails_subject_kind", "notice_mails", ["subject", "kind", "created_at"])
    op.create_table(
        "notices",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("dedupe_key", sa.String(length=300), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("mail_id", sa.String(length=40), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["mail_id"], ["notice_mails.id"], name=op.f("fk_notices_mail_id_notice_mails")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("subject", "kind", "dedupe_key", name="uq_notices_subject_kind_key"),
    )
    op.create_index("ix_notices_mail_id", "notices", ["mail_id"])


def downgrade() -> None:
    op.drop_index("ix_notices_mail_id", table_name="notices")
    op.drop_table("notices")
    op.drop_index("ix_notice_mails_subject_kind", table_name="notice_mails")
    op.drop_index("ix_notice_mails_due", table_name="notice_mails")
    op.drop_table("notice_mails")
    op.drop_index("ix_notice_stages_deadline", table_name="notice_stages")
    op.drop_table("notice_stages")
    op.drop_table("notice_preferences")
    op.drop_index("ix_notice_contacts_agency", table_name="notice_contacts")
    op.drop_table("notice_contacts")
    op.drop_index("ix_notice_members_subject", table_name="notice_members")
    op.drop_table("notice_members")
