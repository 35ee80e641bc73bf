"""The budget-ledger service's tables (its own database; no other service reads it).

Money columns are ``Satang`` (integer satang in the database, ``Decimal`` baht in Python).
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
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
from budget_ledger.domain.stages import STAGES
from dgplan_contracts.storage import Satang

metadata = service_metadata()

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

_BIGINT = BigInteger().with_variant(Integer, "sqlite")

# --- read models built from the registry's events -------------------------------------------

plans = Table(
    "plans",
    metadata,
    Column("plan_id", String(64), primary_key=True),
    Column("plan_code", String(100), nullable=True),
    Column("version_id", String(64), nullable=True),
    Column("start_fy", Integer, nullable=True),
    Column("end_fy", Integer, nullable=True),
    Column("updated_at", UtcDateTime(), nullable=False),
)

strategies = Table(
    "strategies",
    metadata,
    Column("strategy_id", String(64), primary_key=True),
    Column("plan_id", String(64), nullable=False, index=True),
    Column("code", String(50), nullable=True),
    Column("number", Integer, nullable=True),
    Column("title_th", Text, nullable=True),
    Column("title_en", Text, nullable=True),
)

projects = Table(
    "projects",
    metadata,
    Column("project_id", String(64), primary_key=True),
    Column("code", String(100), nullable=True),
    Column("plan_id", String(64), nullable=False),
    Column("strategy_id", String(64), nullable=False),
    Column("lead_agency", String(50), nullable=True),
    Column("title_th", Text, nullable=True),
    Column("title_en", Text, nullable=True),
    Column("start_fy", Integer, nullable=True),
    Column("end_fy", Integer, nullable=True),
    Column("status", String(50), nullable=True),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# --- the ledger ------------------------------------------------------------------------------


# One balance row per appropriation = (plan, strategy, project, fiscal year, expense category),
# one column per stage. Plan-level and strategy-level framework rows use "" for the parts they
# do not name and fiscal year 0 for "the whole plan period" (NULLs would defeat the unique key).
appropriations = Table(
    "appropriations",
    metadata,
    Column("id", _BIGINT, primary_key=True, autoincrement=True),
    Column("plan_id", String(64), nullable=False),
    Column("strategy_id", String(64), nullable=False),
    Column("project_id", String(64), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("expense_category", String(20), nullable=False),
    Column("agency", String(50), nullable=True),
    *(Column(stage, Satang(), nullable=False, server_default="0") for stage in STAGES),
    Column("entry_count", Integer, nullable=False, server_default="0"),
    Column("updated_at", UtcDateTime(), nullable=False),
    UniqueConstraint(
        "plan_id", "strategy_id", "project_id", "fiscal_year", "expense_category", name="uq_appropriations_key"
    ),
    # The invariants the database itself guards, whatever code path writes (see DESIGN §2).
    CheckConstraint("recommended + deferred + rejected + returned <= requested", name="screened_within_requested"),
    CheckConstraint("approved <= recommended", name="approved_within_recommended"),
    CheckConstraint("allocated <= approved", name="allocated_within_approved"),
    CheckConstraint("committed <= allocated", name="committed_within_allocated"),
    CheckConstraint("disbursed <= committed", name="disbursed_within_committed"),
    CheckConstraint(
        "requested >= 0 AND recommended >= 0 AND approved >= 0 AND allocated >= 0 AND committed >= 0 "
        "AND disbursed >= 0 AND deferred >= 0 AND rejected >= 0 AND returned >= 0 AND framework >= 0",
        name="non_negative",
    ),
)
Index("ix_appropriations_project", appropriations.c.project_id, appropriations.c.fiscal_year)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("seq", _BIGINT, primary_key=True, autoincrement=True),
    Column("entry_id", String(36), nullable=False, unique=True),
    Column("appropriation_id", _BIGINT, ForeignKey("appropriations.id"), nullable=False),
    Column("stage", String(20), nullable=False),
    # Signed: a reversal or a framework adjustment is a new negative entry, never an edit.
    Column("amount", Satang(), nullable=False),
    Column("plan_id", String(64), nullable=False),
    Column("strategy_id", String(64), nullable=False),
    Column("project_id", String(64), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("expense_category", String(20), nullable=False),
    Column("agency", String(50), nullable=True),
    Column("round_id", String(36), nullable=True),
    Column("request_id", String(36), nullable=True),
    Column("reference", String(200), nullable=True),
    Column("note", Text, nullable=True),
    Column("posted_by", String(200), nullable=False),
    Column("posted_at", UtcDateTime(), nullable=False),
    CheckConstraint("amount <> 0", name="non_zero"),
)
Index("ix_ledger_entries_appropriation", ledger_entries.c.appropriation_id, ledger_entries.c.seq)
Index("ix_ledger_entries_project", ledger_entries.c.project_id, ledger_entries.c.seq)
Index("ix_ledger_entries_request", ledger_entries.c.request_id)

# --- idempotency (the shared shape; the command pipeline's store) -----------------------------

idempotency_keys = idempotency_table(metadata)

# --- screening -------------------------------------------------------------------------------

screening_rounds = Table(
    "screening_rounds",
    metadata,
    Column("round_id", String(36), primary_key=True),
    Column("plan_id", String(64), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("ceiling", Satang(), nullable=False),
    Column("submission_deadline", UtcDateTime(), nullable=False),
    Column("decision_deadline", UtcDateTime(), nullable=False),
    Column("status", String(30), nullable=False),
    Column("title", Text, nullable=True),
    Column("approved_total", Satang(), nullable=False, server_default="0"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("opened_by", String(200), nullable=False),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("package_submitted_at", UtcDateTime(), nullable=True),
    Column("approved_at", UtcDateTime(), nullable=True),
    Column("closed_at", UtcDateTime(), nullable=True),
    Column("published", Boolean, nullable=False, server_default="0"),
    CheckConstraint("approved_total <= ceiling", name="approved_within_ceiling"),
)
Index("ix_screening_rounds_fy", screening_rounds.c.fiscal_year, screening_rounds.c.round_id)
# One regular round per plan and fiscal year (two open rounds would let a project be budgeted twice);
# held by the database, so two concurrent openings cannot both succeed.
Index("uq_screening_rounds_plan_fiscal_year", screening_rounds.c.plan_id, screening_rounds.c.fiscal_year, unique=True)

screening_requests = Table(
    "screening_requests",
    metadata,
    Column("request_id", String(36), primary_key=True),
    Column("round_id", String(36), ForeignKey("screening_rounds.round_id"), nullable=False),
    Column("project_id", String(64), nullable=False),
    Column("plan_id", String(64), nullable=False),
    Column("strategy_id", String(64), nullable=False),
    Column("agency", String(50), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("requested_total", Satang(), nullable=False),
    Column("recommended_total", Satang(), nullable=False, server_default="0"),
    Column("approved_total", Satang(), nullable=False, server_default="0"),
    # NULL while unscreened; otherwise the latest decision.
    Column("decision", String(30), nullable=True),
    Column("rank", Integer, nullable=True),
    Column("priority", Integer, nullable=True),
    Column("multi_year", Boolean, nullable=False, server_default="0"),
    Column("justification", Text, nullable=False),
    Column("alignment", Text, nullable=True),  # JSON
    Column("amounts", Text, nullable=False),  # JSON {category: "x.xx"} as requested
    Column("recommended_amounts", Text, nullable=True),  # JSON, latest decision
    Column("version", Integer, nullable=False, server_default="1"),
    Column("submitted_by", String(200), nullable=False),
    Column("submitted_at", UtcDateTime(), nullable=False),
    Column("decided_at", UtcDateTime(), nullable=True),
    # JSON {title, held_on, resolution}: the meeting whose resolution the latest decision records
    # (NULL for decisions recorded before meetings were required, migration 0006).
    Column("decision_meeting", Text, nullable=True),
    UniqueConstraint("round_id", "project_id", name="uq_screening_requests_round_project"),
)
Index("ix_screening_requests_round_decision", screening_requests.c.round_id, screening_requests.c.decision)
Index("ix_screening_requests_round_strategy", screening_requests.c.round_id, screening_requests.c.strategy_id)
Index("ix_screening_requests_round_agency", screening_requests.c.round_id, screening_requests.c.agency)

request_history = Table(
    "request_history",
    metadata,
    Column("seq", _BIGINT, primary_key=True, autoincrement=True),
    Column("request_id", String(36), ForeignKey("screening_requests.request_id"), nullable=False),
    Column("action", String(40), nullable=False),
    Column("decision", String(30), nullable=True),
    Column("amount", Satang(), nullable=True),
    Column("rank", Integer, nullable=True),
    Column("reason", Text, nullable=True),
    Column("meeting", Text, nullable=True),  # JSON, as screening_requests.decision_meeting
    Column("actor", String(200), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
)
Index("ix_request_history_request", request_history.c.request_id, request_history.c.seq)

# Running totals per (round, strategy, agency, decision), kept in the same transaction as every
# request and decision, so screening status costs O(groups), not O(requests), however big the
# round. "unscreened" stands for "no decision yet" (a key column cannot be NULL).
screening_tallies = Table(
    "screening_tallies",
    metadata,
    Column("round_id", String(36), ForeignKey("screening_rounds.round_id"), primary_key=True),
    Column("strategy_id", String(64), primary_key=True),
    Column("agency", String(50), primary_key=True),
    Column("decision", String(30), primary_key=True),
    Column("request_count", Integer, nullable=False),
    Column("requested", Satang(), nullable=False),
    Column("recommended", Satang(), nullable=False),
    Column("approved", Satang(), nullable=False),
)

# --- priority ranking (issue 17) ---------------------------------------------------------------
# Per round: the secretariat's criteria (weights as decimal text, exact), each request's score per
# criterion with its reason, and the ranking's own row (its version, bumped by every change, and
# once the committee approved the package, the frozen ranks in ``ranking_results``).

ranking_criteria = Table(
    "ranking_criteria",
    metadata,
    Column("round_id", String(36), ForeignKey("screening_rounds.round_id"), primary_key=True),
    Column("code", String(50), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("name_th", Text, nullable=False),
    Column("name_en", Text, nullable=True),
    Column("weight", String(20), nullable=False),  # Decimal text
    Column("target", String(100), nullable=True),  # the plan target the criterion measures against
)

ranking_scores = Table(
    "ranking_scores",
    metadata,
    Column("request_id", String(36), ForeignKey("screening_requests.request_id"), primary_key=True),
    Column("criterion", String(50), primary_key=True),
    Column("round_id", String(36), ForeignKey("screening_rounds.round_id"), nullable=False),
    Column("score", String(20), nullable=False),  # Decimal text, 0–100
    Column("reason", Text, nullable=False),
    Column("scored_by", String(200), nullable=False),
    Column("scored_at", UtcDateTime(), nullable=False),
)
Index("ix_ranking_scores_round", ranking_scores.c.round_id, ranking_scores.c.request_id)

screening_rankings = Table(
    "screening_rankings",
    metadata,
    Column("round_id", String(36), ForeignKey("screening_rounds.round_id"), primary_key=True),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("status", String(20), nullable=False),  # draft | approved
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("approved_by", String(200), nullable=True),
    Column("approved_at", UtcDateTime(), nullable=True),
    Column("ceiling", Satang(), nullable=True),  # as approved
    Column("above_count", Integer, nullable=True),
    Column("above_total", Satang(), nullable=True),
)

ranking_results = Table(
    "ranking_results",
    metadata,
    Column("round_id", String(36), ForeignKey("screening_rounds.round_id"), primary_key=True),
    Column("request_id", String(36), ForeignKey("screening_requests.request_id"), primary_key=True),
    Column("rank", Integer, nullable=False),
    Column("weighted_score", String(20), nullable=False),
    Column("amount", Satang(), nullable=False),
    Column("cumulative", Satang(), nullable=False),
    Column("above_cut_line", Boolean, nullable=False),
    Column("complete", Boolean, nullable=False),
)
Index("ix_ranking_results_rank", ranking_results.c.round_id, ranking_results.c.rank)
