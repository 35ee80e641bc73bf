"""The registry's tables (its own database; no other service reads it).

Version content is stored per version: a node row is keyed by (version_id, node_id) and the
node id stays the same across versions, so two versions can be diffed node by node.
"""

from sqlalchemy import (
    BigInteger, Boolean, Column, ForeignKey, ForeignKeyConstraint, Index, Integer, String, Table, Text, UniqueConstraint, false,
    func, text,
)

from dgplan_shared.db.idempotency import idempotency_table
from dgplan_shared.db.messaging_tables import inbox_table, outbox_table, service_metadata
from dgplan_shared.db.types import UtcDateTime
from dgplan_contracts.storage import Satang

metadata = service_metadata()

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

agencies = Table(
    "agencies",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name_th", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("parent_code", String(40), ForeignKey("agencies.code"), nullable=True),  # parent ministry
    Column("created_at", UtcDateTime, nullable=False),
)

plans = Table(
    "plans",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("title_th", Text, nullable=False),
    Column("title_en", Text, nullable=False),
    Column("start_fy", Integer, nullable=False),
    Column("end_fy", Integer, nullable=False),
    Column("predecessor_plan_id", String(64), nullable=True),
    Column("successor_plan_id", String(64), nullable=True),
    Column("latest_version_id", String(64), nullable=True),
    Column("approved_version_id", String(64), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

plan_versions = Table(
    "plan_versions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("plan_id", String(64), ForeignKey("plans.id"), nullable=False),
    Column("number", Integer, nullable=False),
    # draft -> submitted -> under_review -> returned | approved | rejected | superseded
    Column("status", String(20), nullable=False),
    Column("based_on_version_id", String(64), nullable=True),
    Column("submitted_by", String(200), nullable=True),
    Column("submitted_at", UtcDateTime, nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("decided_by_body", String(64), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("plan_id", "number", name="uq_plan_versions_plan_id_number"),
)

nodes = Table(
    "nodes",
    metadata,
    Column("version_id", String(64), ForeignKey("plan_versions.id"), primary_key=True),
    Column("node_id", String(64), primary_key=True),
    Column("node_type", String(20), nullable=False),
    Column("parent_id", String(64), nullable=True),
    Column("strategy_id", String(64), nullable=True),  # the strategy above it (filters, events)
    Column("code", String(64), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name_th", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("budget_framework", Satang, nullable=True),
    Column("start_fy", Integer, nullable=True),
    Column("end_fy", Integer, nullable=True),
    Column("status", String(30), nullable=True),
    Column("declared_measures", Integer, nullable=True),
    Column("declared_work_plans", Integer, nullable=True),
    Column("declared_projects", Integer, nullable=True),
    Column("attributes", Text, nullable=False),  # canonical JSON of the kind-specific fields
    # newmm words of the Thai and English names, space-joined (domain.search_text.name_tokens),
    # written with every name: the word half of ``q`` (migration 0007).
    Column("name_tokens", Text, nullable=False, server_default=""),
    # A project of the new plan continuing one of its predecessor plan (migration 0009): the
    # predecessor's project id, checked on every write (application/continuity.py).
    Column("continues_project_id", String(64), nullable=True),
    UniqueConstraint("version_id", "code", name="uq_nodes_version_id_code"),
    Index("ix_nodes_node_id", "node_id"),
    # A node's children, and the last position among its siblings of a type (migration 0008).
    Index("ix_nodes_version_id_parent_id", "version_id", "parent_id", "node_type", "position"),
)

# PostgreSQL only (migration 0007; SQLite has neither tsvector nor pg_trgm): the words' GIN, and
# trigram GINs under the substring match on the lowercased names and code. Declared here so the
# drift check compares them; a database where pg_trgm could not be created lacks the trigram ones.
_SIMPLE = text("'simple'")  # text, not a column: the index must find its table in name_tokens
Index("ix_nodes_name_tokens_tsv", func.to_tsvector(_SIMPLE, nodes.c.name_tokens), postgresql_using="gin").ddl_if(
    dialect="postgresql")
for _column in ("name_th", "name_en", "code"):
    _lowered = func.lower(nodes.c[_column]).label(f"{_column}_lower")
    Index(f"ix_nodes_{_column}_trgm", _lowered, postgresql_using="gin",
          postgresql_ops={f"{_column}_lower": "gin_trgm_ops"}).ddl_if(dialect="postgresql")

node_roles = Table(
    "node_roles",
    metadata,
    Column("version_id", String(64), primary_key=True),
    Column("node_id", String(64), primary_key=True),
    Column("agency_code", String(40), ForeignKey("agencies.code"), primary_key=True),
    Column("role", String(20), primary_key=True),
    # True: assigned by the demo layer of ``make run`` (seed/demo-assignments.json), not by the plan.
    Column("demo", Boolean, nullable=False, server_default=false()),
    ForeignKeyConstraint(["version_id", "node_id"], ["nodes.version_id", "nodes.node_id"], name="fk_node_roles_node"),
    Index("ix_node_roles_agency_code", "agency_code"),
)

# Project -> focus area / target associations (many to many, per version).
node_links = Table(
    "node_links",
    metadata,
    Column("version_id", String(64), primary_key=True),
    Column("node_id", String(64), primary_key=True),
    Column("link_type", String(20), primary_key=True),  # focus_area | target
    Column("target_id", String(64), primary_key=True),
    ForeignKeyConstraint(["version_id", "node_id"], ["nodes.version_id", "nodes.node_id"], name="fk_node_links_node"),
    Index("ix_node_links_version_id_target_id", "version_id", "target_id"),  # links to a node (migration 0008)
)

# External frameworks a plan contributes to (migration 0009): the 20-year National Strategy, its
# master plans, the National Reform Plans, the NESDP, the SDGs. Loaded as data by the secretariat
# (PUT /api/v1/frameworks/{code}); the plan's nodes link to their nodes by code.
frameworks = Table(
    "frameworks",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("kind", String(30), nullable=False),  # domain.alignment.FRAMEWORK_KINDS
    Column("name_th", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("revision", Integer, nullable=False),  # counts replacements: the ETag's part that changes
    Column("updated_at", UtcDateTime, nullable=False),
)

framework_nodes = Table(
    "framework_nodes",
    metadata,
    Column("framework_code", String(64), ForeignKey("frameworks.code"), primary_key=True),
    Column("code", String(64), primary_key=True),
    Column("parent_code", String(64), nullable=True),  # None: a goal (the top level)
    Column("position", Integer, nullable=False),
    Column("name_th", Text, nullable=False),
    Column("name_en", Text, nullable=False),
)

# A plan node's "contributes to" links, per version like the node's other content.
node_alignments = Table(
    "node_alignments",
    metadata,
    Column("version_id", String(64), primary_key=True),
    Column("node_id", String(64), primary_key=True),
    Column("framework_code", String(64), primary_key=True),
    Column("framework_node_code", String(64), primary_key=True),
    Column("strength", String(20), nullable=False),  # primary | secondary
    Column("rationale", Text, nullable=False),
    ForeignKeyConstraint(["version_id", "node_id"], ["nodes.version_id", "nodes.node_id"], name="fk_node_alignments_node"),
    # Whether a framework node is linked by any version (a framework replacement may not drop it).
    Index("ix_node_alignments_framework_node", "framework_code", "framework_node_code"),
)

observations = Table(
    "observations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("plan_id", String(64), ForeignKey("plans.id"), nullable=False),
    Column("version_id", String(64), ForeignKey("plan_versions.id"), nullable=False),
    Column("node_id", String(64), nullable=True),
    Column("raised_by_body", String(64), nullable=False),
    Column("external_ref", String(200), nullable=True),  # the governance engine's observation_ref
    Column("text_th", Text, nullable=False),
    Column("text_en", Text, nullable=False),
    Column("status", String(20), nullable=False),  # open | responded | accepted | rejected | closed
    Column("response_th", Text, nullable=True),
    Column("response_en", Text, nullable=True),
    Column("responded_by", String(200), nullable=True),
    Column("responded_at", UtcDateTime, nullable=True),
    Column("resolution_reason", Text, nullable=True),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("version_id", "external_ref", name="uq_observations_version_id_external_ref"),
)

# Every step of an observation's life, with who, when and why: the observation row holds only the
# latest response and resolution.
observation_history = Table(
    "observation_history",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("observation_id", String(64), ForeignKey("observations.id"), nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(200), nullable=False),  # the caller's subject, or the body whose decision raised it
    Column("action", String(20), nullable=False),  # raised | responded | accepted | rejected | closed | imported
    Column("status", String(20), nullable=False),  # the observation's status after this step
    Column("text_th", Text, nullable=True),  # what was said: the observation, or the response
    Column("text_en", Text, nullable=True),
    Column("reason", Text, nullable=True),  # why a response was accepted or rejected
)

# The shared shape (dgplan_shared.db.idempotency); migration 0003 brought the older table to it.
idempotency_keys = idempotency_table(metadata)
