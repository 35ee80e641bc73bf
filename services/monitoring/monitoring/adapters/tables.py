"""The monitoring service's tables (its own database; no other service reads it).

Read models (``rm_*``) are projections of other services' events and can be rebuilt from
``consumed_events``; everything else is owned here. Indicator numbers are stored as decimal text
so they stay exact on SQLite too.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from dgplan_shared.db.idempotency import idempotency_table
from dgplan_shared.db.messaging_tables import inbox_table, outbox_table, service_metadata
from dgplan_shared.db.types import UtcDateTime
from dgplan_contracts.storage import Satang

metadata = service_metadata()

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

_ID = 64
_BIGINT = BigInteger().with_variant(Integer(), "sqlite")

# Append-only history of every consumed event, written with its effects (the inbox makes it once).
consumed_events = Table(
    "consumed_events",
    metadata,
    Column("seq", _BIGINT, primary_key=True, autoincrement=True),
    Column("event_id", String(_ID), nullable=False),
    Column("source", String(200), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("envelope", Text, nullable=False),
    Column("consumed_at", UtcDateTime, nullable=False),
    UniqueConstraint("source", "event_id"),
)

rm_plans = Table(
    "rm_plans",
    metadata,
    Column("plan_id", String(_ID), primary_key=True),
    Column("code", String(100), nullable=True),
    Column("title_th", Text, nullable=True),
    Column("title_en", Text, nullable=True),
    Column("start_fy", Integer, nullable=True),
    Column("end_fy", Integer, nullable=True),
    Column("version_id", String(_ID), nullable=True),
    Column("approved_version_id", String(_ID), nullable=True),
    Column("budget_framework", Satang, nullable=True),
    Column("declared_measures", Integer, nullable=True),
    Column("declared_work_plans", Integer, nullable=True),
    Column("declared_projects", Integer, nullable=True),
)

rm_plan_targets = Table(
    "rm_plan_targets",
    metadata,
    Column("target_id", String(_ID), primary_key=True),
    Column("plan_id", String(_ID), nullable=False, index=True),
    Column("code", String(100), nullable=True),
    Column("title_th", Text, nullable=True),
    Column("title_en", Text, nullable=True),
    Column("position", Integer, nullable=False),
)

rm_strategies = Table(
    "rm_strategies",
    metadata,
    Column("strategy_id", String(_ID), primary_key=True),
    Column("plan_id", String(_ID), nullable=False, index=True),
    Column("code", String(100), nullable=True),
    Column("number", Integer, nullable=True),
    Column("title_th", Text, nullable=True),
    Column("title_en", Text, nullable=True),
    Column("budget_framework", Satang, nullable=True),
    Column("declared_measures", Integer, nullable=True),
    Column("declared_work_plans", Integer, nullable=True),
    Column("declared_projects", Integer, nullable=True),
)

def _project_snapshot_columns() -> list[Column]:
    return [
        Column("code", String(100), nullable=True),
        Column("plan_id", String(_ID), nullable=True, index=True),
        Column("strategy_id", String(_ID), nullable=True),
        Column("measure_id", String(_ID), nullable=True),
        Column("work_plan_id", String(_ID), nullable=True),
        Column("title_th", Text, nullable=True),
        Column("title_en", Text, nullable=True),
        Column("lead_agency", String(100), nullable=True),
        Column("agencies", JSON, nullable=False),
        Column("start_fy", Integer, nullable=True),
        Column("end_fy", Integer, nullable=True),
        Column("status", String(50), nullable=True),
        Column("target_ids", JSON, nullable=False),
        # The project of the predecessor plan this one continues (its money and indicators read across).
        Column("continues_project_id", String(_ID), nullable=True, index=True),
    ]


# The latest snapshot of every project, usually a draft's: what oversight's ``latest`` view shows.
rm_projects = Table(
    "rm_projects",
    metadata,
    Column("project_id", String(_ID), primary_key=True),
    *_project_snapshot_columns(),
    Column("version_id", String(_ID), nullable=True),  # the plan version it stands in (None: not said)
)

# Every snapshot per plan version: an approved version keeps showing its own wording while a
# later draft changes the project.
rm_project_versions = Table(
    "rm_project_versions",
    metadata,
    Column("project_id", String(_ID), primary_key=True),
    Column("version_id", String(_ID), primary_key=True),
    *_project_snapshot_columns(),
)

rm_budget_entries = Table(
    "rm_budget_entries",
    metadata,
    Column("entry_id", String(_ID), primary_key=True),
    Column("kind", String(20), nullable=False),  # allocation | commitment | disbursement
    Column("project_id", String(_ID), nullable=True, index=True),
    Column("plan_id", String(_ID), nullable=True),
    Column("strategy_id", String(_ID), nullable=True),
    Column("agency", String(100), nullable=True),
    Column("fiscal_year", Integer, nullable=True),
    Column("expense_category", String(100), nullable=True),
    Column("amount", Satang, nullable=False),
    Column("posted_at", String(40), nullable=True),
)

# The projects of each plan's approved version, replaced whole on every approval. Project events
# carry the latest draft, so this set is what tells an approved project from a proposed one: the
# public and other agencies see only these (application/project_visibility.py), each as the
# snapshot ``snapshot_version_id`` of rm_project_versions (the approved version's own, or the
# earlier one it kept unchanged); None when no version was ever named (the latest is shown).
rm_approved_projects = Table(
    "rm_approved_projects",
    metadata,
    Column("plan_id", String(_ID), primary_key=True),
    Column("project_id", String(_ID), primary_key=True),
    Column("version_id", String(_ID), nullable=False),
    Column("snapshot_version_id", String(_ID), nullable=True),
    Index("ix_rm_approved_projects_project", "project_id"),
)

# The "contributes to" links of a plan's published structure, each with the framework goal it
# counts to (the registry resolves it), replaced whole with the structure.
rm_alignments = Table(
    "rm_alignments",
    metadata,
    Column("plan_id", String(_ID), primary_key=True),
    Column("node_id", String(_ID), primary_key=True),
    Column("framework", String(100), primary_key=True),
    Column("framework_node", String(100), primary_key=True),
    Column("node_type", String(20), nullable=False),
    Column("goal", String(100), nullable=True),
    Column("goal_title_th", Text, nullable=True),
    Column("goal_title_en", Text, nullable=True),
    Column("strength", String(20), nullable=False),  # primary | secondary
)

READ_MODELS = (rm_plans, rm_plan_targets, rm_strategies, rm_projects, rm_project_versions, rm_approved_projects,
               rm_budget_entries, rm_alignments)

indicators = Table(
    "indicators",
    metadata,
    Column("indicator_id", String(_ID), primary_key=True),
    Column("code", String(100), nullable=False, unique=True),
    Column("name_th", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("unit", String(100), nullable=False),
    Column("measure_type", String(20), nullable=False),
    Column("direction", String(20), nullable=False),
    Column("formula", JSON, nullable=True),  # {numerator, denominator, factor}
    Column("baseline", String(40), nullable=True),
    Column("baseline_year", Integer, nullable=True),
    Column("frequency", String(20), nullable=False),
    Column("source", Text, nullable=True),
    Column("link_type", String(20), nullable=False),  # plan_target | strategy | project
    Column("link_id", String(_ID), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_indicators_link", "link_type", "link_id"),
)

indicator_targets = Table(
    "indicator_targets",
    metadata,
    Column("indicator_id", String(_ID), ForeignKey("indicators.indicator_id", ondelete="CASCADE"), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("target", String(40), nullable=False),
)

# Actuals of plan-level indicators (linked to a plan target or a strategy), posted by the
# secretariat; project indicators get theirs from progress reports. Corrections are new revisions.
indicator_actuals = Table(
    "indicator_actuals",
    metadata,
    Column("actual_id", String(_ID), primary_key=True),
    Column("indicator_id", String(_ID), ForeignKey("indicators.indicator_id", ondelete="CASCADE"), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("quarter", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("revision_reason", Text, nullable=True),
    Column("value", String(40), nullable=True),
    Column("numerator", String(40), nullable=True),
    Column("denominator", String(40), nullable=True),
    Column("note", Text, nullable=True),
    Column("evidence", JSON, nullable=False),
    Column("submitted_by", String(200), nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    UniqueConstraint("indicator_id", "fiscal_year", "quarter", "revision", name="uq_indicator_actuals_revision"),
)

progress_reports = Table(
    "progress_reports",
    metadata,
    Column("report_id", String(_ID), primary_key=True),
    Column("project_id", String(_ID), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("quarter", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("revision_reason", Text, nullable=True),
    Column("percent_complete", String(20), nullable=False),
    Column("actuals", JSON, nullable=False),
    Column("milestones", JSON, nullable=False),
    Column("issues", JSON, nullable=False),
    Column("narrative_th", Text, nullable=True),
    Column("narrative_en", Text, nullable=True),
    Column("evidence", JSON, nullable=False),
    Column("agency", String(100), nullable=False),
    Column("submitted_by", String(200), nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    UniqueConstraint("project_id", "fiscal_year", "quarter", "revision", name="uq_progress_reports_quarter_revision"),
    Index("ix_progress_reports_project", "project_id", "fiscal_year", "quarter"),
)

# The last status monitoring announced per project: a change publishes project-status-changed.
project_statuses = Table(
    "project_statuses",
    metadata,
    Column("project_id", String(_ID), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("at_risk", Boolean, nullable=False),
    Column("as_of", String(10), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# The shared Idempotency-Key table (one shape for every service; migration 0005 converted ours).
idempotency = idempotency_table(metadata)
