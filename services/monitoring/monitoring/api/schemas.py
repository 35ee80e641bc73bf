"""Request bodies (wire models). ``Strict`` refuses unknown fields and text that cannot be stored,
and normalizes every string with the one text function, so Thai is spelled one way."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, Field

from dgplan_contracts.fiscal import FiscalYear
from dgplan_contracts.numbers import quantity
from dgplan_contracts.text import Bilingual, BilingualName
from dgplan_shared.web.models import Strict
from monitoring.domain.indicators import DIRECTIONS, FREQUENCIES, LINK_TYPES, MEASURE_TYPES

# JSON number or decimal string, ASCII digits only, limits stated in the OpenAPI (issue 16 items 2, 13).
Percent = quantity(integer_digits=3, places=2, minimum=0, maximum=100)
Number = quantity(integer_digits=24, places=6)


class FormulaIn(Strict):
    numerator: str = Field(min_length=1, max_length=500, description="What is counted above the line")
    denominator: str = Field(min_length=1, max_length=500)
    factor: Number = Decimal(1)


class TargetIn(Strict):
    fiscal_year: FiscalYear
    target: Number


class LinkIn(Strict):
    type: Literal[LINK_TYPES]  # type: ignore[valid-type]
    id: str = Field(min_length=1, max_length=64)


class IndicatorIn(Strict):
    code: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")
    name: BilingualName
    unit: str = Field(min_length=1, max_length=100)
    measure_type: Literal[MEASURE_TYPES]  # type: ignore[valid-type]
    direction: Literal[DIRECTIONS] = "higher_is_better"  # type: ignore[valid-type]
    formula: FormulaIn | None = None
    baseline: Number | None = None
    baseline_year: FiscalYear | None = None
    targets: list[TargetIn] = Field(default_factory=list, max_length=20)
    frequency: Literal[FREQUENCIES] = "quarterly"  # type: ignore[valid-type]
    source: str | None = Field(default=None, max_length=1000)
    link: LinkIn


class ActualIn(Strict):
    indicator_id: str = Field(min_length=1, max_length=64)
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    note: str | None = Field(default=None, max_length=2000)


class MilestoneIn(Strict):
    name: Bilingual
    due: date | None = Field(default=None, description="ISO date")
    done: bool = False


class IssueIn(Strict):
    kind: Literal["issue", "risk"]
    description: Bilingual
    severity: Literal["low", "medium", "high"] = "medium"
    mitigation: Bilingual | None = None


class EvidenceIn(Strict):
    url: AnyHttpUrl
    title: str | None = Field(default=None, max_length=500)


class ProgressReportIn(Strict):
    project_id: str = Field(min_length=1, max_length=64)
    fiscal_year: FiscalYear
    quarter: int = Field(ge=1, le=4, description="Q1 Oct-Dec, Q2 Jan-Mar, Q3 Apr-Jun, Q4 Jul-Sep")
    percent_complete: Percent
    actuals: list[ActualIn] = Field(default_factory=list, max_length=200)
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=200)
    issues: list[IssueIn] = Field(default_factory=list, max_length=200)
    narrative: Bilingual | None = None
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=100)
    revises_report_id: str | None = Field(
        default=None, max_length=64,
        description="Set to the current report of the quarter to submit a correction (a new revision).",
    )
    revision_reason: str | None = Field(default=None, max_length=2000)


class IndicatorActualIn(Strict):
    """An actual of a plan-level indicator (linked to a plan target or a strategy)."""

    fiscal_year: FiscalYear
    quarter: int = Field(ge=1, le=4)
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    note: str | None = Field(default=None, max_length=2000)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=100)
    revises_actual_id: str | None = Field(default=None, max_length=64)
    revision_reason: str | None = Field(default=None, max_length=2000)
