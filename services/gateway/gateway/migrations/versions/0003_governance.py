"""governance: bodies, members, workflow definitions and instances, decisions, audit log

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

from dgplan_shared.db.types import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "gov_bodies",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name_th", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("parent_code", sa.String(64), nullable=True),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["parent_code"], ["gov_bodies.code"], name=op.f("fk_gov_bodies_parent_code_gov_bodies")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_gov_bodies")),
    )
    op.create_table(
        "gov_members",
        sa.Column("body_code", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["body_code"], ["gov_bodies.code"], name=op.f("fk_gov_members_body_code_gov_bodies")),
        sa.PrimaryKeyConstraint("body_code", "subject", name=op.f("pk_gov_members")),
    )
    op.create_index("ix_gov_members_subject", "gov_members", ["subject"])
    op.create_table(
        "gov_workflow_definitions",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", "version", name=op.f("pk_gov_workflow_definitions")),
    )
    op.create_table(
        "gov_instances",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("workflow_key", sa.String(64), nullable=False),
        sa.Column("definition_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("stage", sa.String(64), nullable=False),
        sa.Column("stage_body", sa.String(64), nullable=True),
        sa.Column("stage_entry", sa.Integer(), nullable=False),
        sa.Column("stage_entered_at", UtcDateTime(), nullable=False),
        sa.Column("stage_due_at", UtcDateTime(), nullable=True),
        sa.Column("resume_stage", sa.String(64), nullable=True),
        sa.Column("pending_version_id", sa.String(64), nullable=True),
        sa.Column("plan_id", sa.String(64), nullable=True),
        sa.Column("version_id", sa.String(64), nullable=True),
        sa.Column("round_id", sa.String(64), nullable=True),
        sa.Column("fiscal_year", sa.Integer(), nullable=True),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workflow_key", "definition_version"],
            ["gov_workflow_definitions.key", "gov_workflow_definitions.version"],
            name=op.f("fk_gov_instances_workflow_key_gov_workflow_definitions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_instances")),
    )
    op.create_index("ix_gov_instances_plan_id", "gov_instances", ["plan_id"])
    op.create_index("ix_gov_instances_round_id", "gov_instances", ["round_id"])
    op.create_index("ix_gov_instances_due", "gov_instances", ["status", "stage_due_at"])
    op.create_table(
        "gov_votes",
        sa.Column("instance_id", sa.String(36), nullable=False),
        sa.Column("stage_entry", sa.Integer(), nullable=False),
        sa.Column("voter", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(64), nullable=False),
        sa.Column("choice", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("observations", sa.JSON(), nullable=False),
        sa.Column("cast_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["instance_id"], ["gov_instances.id"], name=op.f("fk_gov_votes_instance_id_gov_instances")),
        sa.PrimaryKeyConstraint("instance_id", "stage_entry", "voter", name=op.f("pk_gov_votes")),
    )
    op.create_table(
        "gov_timeline",
        sa.Column("id", _BIGINT, autoincrement=True, nullable=False),
        sa.Column("instance_id", sa.String(36), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("stage", sa.String(64), nullable=True),
        sa.Column("body", sa.String(64), nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("acting_as", sa.String(200), nullable=True),
        sa.Column("decision", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("observations", sa.JSON(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("plan_id", sa.String(64), nullable=True),
        sa.Column("version_id", sa.String(64), nullable=True),
        sa.Column("round_id", sa.String(64), nullable=True),
        sa.Column("outcome_entry", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["gov_instances.id"], name=op.f("fk_gov_timeline_instance_id_gov_instances")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_timeline")),
        sa.UniqueConstraint("instance_id", "outcome_entry", name=op.f("uq_gov_timeline_instance_id")),
    )
    op.create_index("ix_gov_timeline_instance", "gov_timeline", ["instance_id", "id"])
    op.create_table(
        "gov_overdue",
        sa.Column("instance_id", sa.String(36), nullable=False),
        sa.Column("stage_entry", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(64), nullable=False),
        sa.Column("body", sa.String(64), nullable=True),
        sa.Column("escalated_to", sa.String(64), nullable=True),
        sa.Column("deadline", UtcDateTime(), nullable=False),
        sa.Column("noticed_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["gov_instances.id"], name=op.f("fk_gov_overdue_instance_id_gov_instances")
        ),
        sa.PrimaryKeyConstraint("instance_id", "stage_entry", name=op.f("pk_gov_overdue")),
    )
    op.create_table(
        "gov_observations",
        sa.Column("observation_id", sa.String(64), nullable=False),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("version_id", sa.String(64), nullable=True),
        sa.Column("node_id", sa.String(64), nullable=True),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("raised_by_body", sa.String(64), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("observation_id", name=op.f("pk_gov_observations")),
    )
    op.create_index("ix_gov_observations_plan_id", "gov_observations", ["plan_id"])
    op.create_table(
        "gov_idempotency",
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("subject", "key", name=op.f("pk_gov_idempotency")),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", _BIGINT, autoincrement=False, nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("acting_as", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("decision", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("payload_hash", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", _BIGINT, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    # The chain head exists from the start: appenders lock this row instead of racing to create it.
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])


def downgrade() -> None:
    op.drop_table("audit_head")
    op.drop_table("audit_log")
    op.drop_table("gov_idempotency")
    op.drop_index("ix_gov_observations_plan_id", table_name="gov_observations")
    op.drop_table("gov_observations")
    op.drop_table("gov_overdue")
    op.drop_index("ix_gov_timeline_instance", table_name="gov_timeline")
    op.drop_table("gov_timeline")
    op.drop_table("gov_votes")
    op.drop_index("ix_gov_instances_due", table_name="gov_instances")
    op.drop_index("ix_gov_instances_round_id", table_name="gov_instances")
    op.drop_index("ix_gov_instances_plan_id", table_name="gov_instances")
    op.drop_table("gov_instances")
    op.drop_table("gov_workflow_definitions")
    op.drop_index("ix_gov_members_subject", table_name="gov_members")
    op.drop_table("gov_members")
    op.drop_table("gov_bodies")
