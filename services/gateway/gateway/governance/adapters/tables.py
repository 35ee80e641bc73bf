"""Tables owned by the gateway's governance part (defined on the gateway's shared metadata).

Bodies and members, workflow definitions as versioned data, running instances (each pinned to
the definition version it started with), votes, the timeline every query reads, overdue notices
(one per stage entry) and observations as the registry reports them. (Idempotency-Keys live in
the gateway's shared ``idempotency_keys`` table.)
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from dgplan_shared.db.types import UtcDateTime
from gateway.metadata import metadata

gov_bodies = Table(
    "gov_bodies",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name_th", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    # Where an overdue stage of this body escalates to (the committee above a subcommittee).
    Column("parent_code", String(64), ForeignKey("gov_bodies.code"), nullable=True),
    Column("rule", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

gov_members = Table(
    "gov_members",
    metadata,
    Column("body_code", String(64), ForeignKey("gov_bodies.code"), primary_key=True),
    Column("subject", String(200), primary_key=True),
    Column("role", String(16), nullable=False),
    # The person's name as the body's roster shows it (a tally names people, not subject ids); the
    # roster is governance's own record, so it holds whichever identity provider signs people in.
    Column("name", String(200), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Index("ix_gov_members_subject", "subject"),
)

gov_workflow_definitions = Table(
    "gov_workflow_definitions",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("definition", JSON, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

gov_instances = Table(
    "gov_instances",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("workflow_key", String(64), nullable=False),
    Column("definition_version", Integer, nullable=False),
    Column("status", String(24), nullable=False),  # active / completed
    Column("outcome", String(32), nullable=True),  # approved / rejected / closed when completed
    Column("stage", String(64), nullable=False),
    Column("stage_body", String(64), nullable=True),
    # Incremented on every stage entry: votes, outcomes and overdue notices belong to one entry.
    Column("stage_entry", Integer, nullable=False),
    Column("stage_entered_at", UtcDateTime(), nullable=False),
    Column("stage_due_at", UtcDateTime(), nullable=True),
    Column("resume_stage", String(64), nullable=True),  # where a revision goes back to
    Column("pending_version_id", String(64), nullable=True),  # resubmitted, waiting for answers
    Column("plan_id", String(64), nullable=True),
    Column("version_id", String(64), nullable=True),
    Column("round_id", String(64), nullable=True),
    Column("fiscal_year", Integer, nullable=True),
    Column("context", JSON, nullable=False),
    Column("lock_version", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    ForeignKeyConstraint(
        ["workflow_key", "definition_version"],
        ["gov_workflow_definitions.key", "gov_workflow_definitions.version"],
    ),
    Index("ix_gov_instances_plan_id", "plan_id"),
    Index("ix_gov_instances_round_id", "round_id"),
    Index("ix_gov_instances_due", "status", "stage_due_at"),
)

gov_votes = Table(
    "gov_votes",
    metadata,
    Column("instance_id", String(36), ForeignKey("gov_instances.id"), primary_key=True),
    Column("stage_entry", Integer, primary_key=True),
    Column("voter", String(200), primary_key=True),
    Column("stage", String(64), nullable=False),
    Column("choice", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("observations", JSON, nullable=False),
    Column("cast_at", UtcDateTime(), nullable=False),
)

gov_timeline = Table(
    "gov_timeline",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("instance_id", String(36), ForeignKey("gov_instances.id"), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("stage", String(64), nullable=True),
    Column("body", String(64), nullable=True),
    Column("actor", String(200), nullable=False),
    Column("acting_as", String(200), nullable=True),
    Column("decision", String(64), nullable=True),
    Column("reason", Text, nullable=True),
    Column("observations", JSON, nullable=False),
    Column("detail", JSON, nullable=False),
    Column("plan_id", String(64), nullable=True),
    Column("version_id", String(64), nullable=True),
    Column("round_id", String(64), nullable=True),
    # Set only on a stage outcome: the unique pair makes a second transition of one entry fail.
    Column("outcome_entry", Integer, nullable=True),
    UniqueConstraint("instance_id", "outcome_entry"),
    Index("ix_gov_timeline_instance", "instance_id", "id"),
)

gov_overdue = Table(
    "gov_overdue",
    metadata,
    Column("instance_id", String(36), ForeignKey("gov_instances.id"), primary_key=True),
    Column("stage_entry", Integer, primary_key=True),
    Column("stage", String(64), nullable=False),
    Column("body", String(64), nullable=True),
    Column("escalated_to", String(64), nullable=True),
    Column("deadline", UtcDateTime(), nullable=False),
    Column("noticed_at", UtcDateTime(), nullable=False),
)

gov_observations = Table(
    "gov_observations",
    metadata,
    Column("observation_id", String(64), primary_key=True),
    Column("plan_id", String(64), nullable=False),
    Column("version_id", String(64), nullable=True),
    Column("node_id", String(64), nullable=True),
    Column("status", String(24), nullable=False),
    Column("raised_by_body", String(64), nullable=True),
    Column("updated_at", UtcDateTime(), nullable=False),
    Index("ix_gov_observations_plan_id", "plan_id"),
)
