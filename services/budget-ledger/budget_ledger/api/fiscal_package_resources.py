"""The Fiscal Data Package's tables: each field's Table Schema type and constraints, its fiscal
concept (``columnType``, the Fiscal Data Package v1 budget taxonomy), and the rows.

Money cells are the ledger's Decimal written with two places (``4879870000.00``), never a float.
Names are the registry's Thai and English as the ledger holds them (normalized when received).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timezone
from typing import Any

from budget_ledger.api.exchange_labels import CATEGORIES
from budget_ledger.domain.open_budget import OpenBudget
from budget_ledger.domain.screening import DECISIONS, RoundStatus
from budget_ledger.domain.stages import CATEGORIES as CATEGORY_CODES
from dgplan_contracts.fiscal import FY_MAX, FY_MIN, fiscal_year_range
from dgplan_contracts.money import money_str

FUNCTIONAL = "functional-classification:generic:level1"  # the plan's strategies: its policy goals
ADMINISTRATIVE = "administrative-classification:generic:level1"  # the agency that leads the project
ECONOMIC = "economic-classification:generic:level1"  # the Thai budget's expense categories (งบรายจ่าย)
PROJECT = "activity:generic:project"

# English labels beside the Thai ones: ColumnTypes the budget taxonomy lacks, declared in the
# descriptor as the specification's "explicit typing" asks (labels of the same codes).
ENGLISH_LABELS = [
    {"name": f"{concept}:label:en", "dataType": "string", "labelOf": f"{concept}:code"}
    for concept in (FUNCTIONAL, ECONOMIC, PROJECT)
]

_YEAR = {"minimum": FY_MIN, "maximum": FY_MAX}
_MONEY = {"minimum": 0}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    column_type: str | None = None
    constraints: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.column_type:
            out["columnType"] = self.column_type
        if self.constraints:
            out["constraints"] = self.constraints
        return {**out, **self.extra}


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: list[Column]
    primary_key: list[str]
    rows: list[dict[str, Any]]
    foreign_keys: list[dict[str, Any]] = field(default_factory=list)
    # Fiscal Data Package ``extraFields``: what the denormalised form adds (phase, currency).
    extra_fields: list[dict[str, Any]] = field(default_factory=list)


def _currency() -> dict[str, Any]:
    return {"name": "currency", "type": "string", "columnType": "value-currency:code", "constant": "THB"}


def _phase(constant: str | None = None) -> dict[str, Any]:
    phase: dict[str, Any] = {"name": "phase", "type": "string", "columnType": "phase:id"}
    return {**phase, "constant": constant} if constant else phase


def _amount_target() -> dict[str, Any]:
    return {"name": "amount_baht", "type": "number", "columnType": "value", "normalizationTarget": True}


def _fk(column: str, resource: str, to: str) -> dict[str, Any]:
    return {"fields": [column], "reference": {"resource": resource, "fields": [to]}}


def _day(fiscal_year: int, end: bool) -> str:
    return fiscal_year_range(fiscal_year)[1 if end else 0].isoformat()


def frameworks(budget: OpenBudget) -> Table:
    columns = [
        Column("framework_id", "string", constraints={"required": True, "unique": True}),
        Column("level", "string", constraints={"required": True, "enum": ["plan", "strategy"]}),
        Column("strategy_code", "string", f"{FUNCTIONAL}:code"),
        Column("strategy_number", "integer", constraints={"minimum": 1}),
        Column("strategy_name_th", "string", f"{FUNCTIONAL}:label"),
        Column("strategy_name_en", "string", f"{FUNCTIONAL}:label:en"),
        Column("fiscal_year_start", "integer", constraints=_YEAR),
        Column("fiscal_year_end", "integer", constraints=_YEAR),
        Column("framework_baht", "number", "value", {"required": True, **_MONEY}),
    ]
    rows = [
        {
            "framework_id": f.framework_id, "level": f.level, "strategy_code": f.strategy_code,
            "strategy_number": f.strategy_number, "strategy_name_th": f.name_th, "strategy_name_en": f.name_en,
            "fiscal_year_start": budget.start_fy, "fiscal_year_end": budget.end_fy, "framework_baht": money_str(f.amount),
        }
        for f in budget.frameworks
    ]
    return Table(
        "frameworks", "Budget frameworks (ceilings) for the plan period",
        "The plan's framework and each strategy's, for the whole plan period (fiscal years BE).",
        columns, ["framework_id"], rows, extra_fields=[_phase("framework"), _currency()],
    )


def framework_fiscal_years(budget: OpenBudget) -> Table:
    columns = [
        Column("framework_id", "string", constraints={"required": True}),
        Column("fiscal_year", "integer", "date:fiscal-year", {"required": True, **_YEAR}),
        Column("period_start", "date", "date:fiscal:activity-start", {"required": True}),
        Column("period_end", "date", "date:fiscal:activity-end", {"required": True}),
        Column("framework_baht", "number", "value", {"required": True, **_MONEY}),
    ]
    rows = [
        {"framework_id": y.framework_id, "fiscal_year": y.fiscal_year, "period_start": _day(y.fiscal_year, False),
         "period_end": _day(y.fiscal_year, True), "framework_baht": money_str(y.amount)}
        for y in budget.framework_years
    ]
    return Table(
        "framework_fiscal_years", "Strategy frameworks per fiscal year",
        "A strategy's framework split by fiscal year, where the plan states one (otherwise no rows).",
        columns, ["framework_id", "fiscal_year"], rows, [_fk("framework_id", "frameworks", "framework_id")],
        extra_fields=[_phase("framework"), _currency()],
    )


def screening_rounds(budget: OpenBudget) -> Table:
    columns = [
        Column("round_id", "string", constraints={"required": True, "unique": True}),
        Column("fiscal_year", "integer", "date:fiscal-year", {"required": True, **_YEAR}),
        Column("period_start", "date", "date:fiscal:activity-start", {"required": True}),
        Column("period_end", "date", "date:fiscal:activity-end", {"required": True}),
        Column("title", "string"),
        Column("status", "string", constraints={"required": True, "enum": [s.value for s in RoundStatus]}),
        Column("results_published", "boolean", constraints={"required": True}),
        Column("closed_at", "datetime"),
        Column("ceiling_baht", "number", "value", {"required": True, **_MONEY}, {"normalize": {"phase": "ceiling"}}),
        Column("approved_total_baht", "number", "value", {"required": True, **_MONEY},
               {"normalize": {"phase": "approved"}}),
    ]
    rows = [
        {
            "round_id": r.round_id, "fiscal_year": r.fiscal_year, "period_start": _day(r.fiscal_year, False),
            "period_end": _day(r.fiscal_year, True), "title": r.title, "status": r.status,
            "results_published": "true" if r.published else "false",
            "closed_at": r.closed_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if r.closed_at else None,
            "ceiling_baht": money_str(r.ceiling), "approved_total_baht": money_str(r.approved_total),
        }
        for r in budget.rounds
    ]
    return Table(
        "screening_rounds", "Annual budget-screening rounds",
        "One round per fiscal year: its ceiling and the total the committee approved.",
        columns, ["round_id"], rows, extra_fields=[_amount_target(), _phase(), _currency()],
    )


def _title(row: Any, lang: str) -> str | None:
    return None if row is None else row[f"title_{lang}"]


def budget_lines(budget: OpenBudget) -> Table:
    stage_columns = [
        Column(f"{stage}_baht", "number", "value", {"required": True, **_MONEY}, {"normalize": {"phase": stage}})
        for stage in budget.stages
    ]
    columns = [
        Column("line_id", "string", "budget-line-id", {"required": True, "unique": True}),
        Column("fiscal_year", "integer", "date:fiscal-year", {"required": True, **_YEAR}),
        Column("strategy_id", "string", constraints={"required": True}),
        Column("strategy_code", "string", f"{FUNCTIONAL}:code"),
        Column("strategy_name_th", "string", f"{FUNCTIONAL}:label"),
        Column("strategy_name_en", "string", f"{FUNCTIONAL}:label:en"),
        Column("project_id", "string", constraints={"required": True}),
        Column("project_code", "string", f"{PROJECT}:code"),
        Column("project_name_th", "string", f"{PROJECT}:label"),
        Column("project_name_en", "string", f"{PROJECT}:label:en"),
        Column("agency_code", "string", f"{ADMINISTRATIVE}:code"),
        Column("expense_category", "string", f"{ECONOMIC}:code", {"required": True, "enum": list(CATEGORY_CODES)}),
        Column("expense_category_th", "string", f"{ECONOMIC}:label"),
        Column("expense_category_en", "string", f"{ECONOMIC}:label:en"),
        Column("screening_decision", "string", constraints={"enum": list(DECISIONS)}),
        *stage_columns,
    ]
    rows = []
    for line in budget.lines:
        labels = CATEGORIES.get(line.expense_category, (None, None))
        rows.append({
            # The appropriation's key: a project moved to another strategy keeps a line under each.
            "line_id": f"{line.fiscal_year}/{line.strategy_id}/{line.project_id}/{line.expense_category}",
            "fiscal_year": line.fiscal_year, "strategy_id": line.strategy_id,
            "strategy_code": line.strategy["code"] if line.strategy is not None else None,
            "strategy_name_th": _title(line.strategy, "th"), "strategy_name_en": _title(line.strategy, "en"),
            "project_id": line.project_id, "project_code": line.project["code"] if line.project is not None else None,
            "project_name_th": _title(line.project, "th"), "project_name_en": _title(line.project, "en"),
            "agency_code": line.agency, "expense_category": line.expense_category,
            "expense_category_th": labels[0], "expense_category_en": labels[1], "screening_decision": line.decision,
            **{f"{stage}_baht": money_str(line.amounts[stage]) for stage in budget.stages},
        })
    return Table(
        "budget_lines", "Budget per project, fiscal year and expense category, stage by stage",
        "One row per appropriation; one amount column per budget stage (phase).",
        # No reference to frameworks: a project may sit under a strategy the plan gives no framework.
        columns, ["line_id"], rows, extra_fields=[_amount_target(), _phase(), _currency()],
    )


def tables(budget: OpenBudget) -> list[Table]:
    return [frameworks(budget), framework_fiscal_years(budget), screening_rounds(budget), budget_lines(budget)]
