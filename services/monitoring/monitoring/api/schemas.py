"""Request bodies. Unknown fields are refused so a typo never passes silently; Thai text is NFC."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_validator, model_validator

from monitoring.domain.indicators import DIRECTIONS, FREQUENCIES, LINK_TYPES, MEASURE_TYPES

Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=7, decimal_places=2)]
Number = Annotated[Decimal, Field(max_digits=30, decimal_places=6, allow_inf_nan=False)]
FiscalYear = Annotated[int, Field(ge=2400, le=2800, description="Buddhist Era fiscal year, e.g. 2565")]


def _nfc(value: str | None) -> str | None:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def refuse_nul(cls, value: Any) -> Any:
        # PostgreSQL text cannot hold U+0000: refuse it up front rather than fail on write.
        if _has_nul(value):
            raise ValueError("text must not contain NUL characters")
        return value


class Bilingual(Strict):
    th: str = Field(min_length=1, max_length=4000)
    en: str | None = Field(default=None, max_length=4000)

    @field_validator("th", "en")
    @classmethod
    def normalize(cls, value: str | None) -> str | None:
        value = _nfc(value)
        if isinstance(value, str) and not value.strip():
            raise ValueError("must not be blank")
        return value


class BilingualName(Bilingual):
    en: str = Field(min_length=1, max_length=4000)


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

    @field_validator("source", "unit")
    @classmethod
    def normalize(cls, value: str | None) -> str | None:
        return _nfc(value)


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

    @field_validator("note", "revision_reason")
    @classmethod
    def normalize(cls, value: str | None) -> str | None:
        return _nfc(value)
