"""Request bodies. Unknown fields are refused so a typo never silently does nothing."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

from budget_ledger.api.money_field import Money
from budget_ledger.domain.screening import Decision
from budget_ledger.domain.stages import ExpenseCategory

FiscalYear = Field(ge=2500, le=2700, description="Buddhist-Era fiscal year, e.g. 2565")
Id = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        # PostgreSQL text cannot hold NUL; refuse it as bad input rather than fail on insert.
        if _has_nul(data):
            raise ValueError("text must not contain NUL characters")
        return data


class PostingIn(Strict):
    project_id: str = Id
    fiscal_year: int = FiscalYear
    expense_category: ExpenseCategory
    stage: Literal["allocated", "committed", "disbursed"]
    amount: Money
    reference: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=2000)


class BatchIn(Strict):
    entries: list[PostingIn] = Field(min_length=1, max_length=1000)


class BilingualIn(Strict):
    th: str | None = Field(default=None, max_length=2000)
    en: str | None = Field(default=None, max_length=2000)


class StrategyFrameworkIn(Strict):
    strategy_id: str = Id
    code: str | None = Field(default=None, max_length=50)
    number: int | None = Field(default=None, ge=1, le=100)
    title: BilingualIn | None = None
    budget_framework: Money
    fiscal_years: dict[int, Money] | None = Field(default=None, description="optional split by fiscal year (BE)")

    @field_validator("fiscal_years")
    @classmethod
    def _years_in_range(cls, value: dict[int, Any] | None) -> dict[int, Any] | None:
        if value and any(not 2500 <= fy <= 2700 for fy in value):
            raise ValueError("fiscal years are Buddhist-Era years between 2500 and 2700")
        return value


class FrameworkImportIn(Strict):
    plan_id: str = Id
    plan_code: str | None = Field(default=None, max_length=100)
    start_fy: int | None = Field(default=None, ge=2500, le=2700)
    end_fy: int | None = Field(default=None, ge=2500, le=2700)
    plan_total: Money
    strategies: list[StrategyFrameworkIn] = Field(min_length=1, max_length=100)


class RoundOpenIn(Strict):
    plan_id: str = Id
    fiscal_year: int = FiscalYear
    ceiling: Money
    submission_deadline: AwareDatetime
    decision_deadline: AwareDatetime
    title: str | None = Field(default=None, max_length=500)


class AlignmentIn(Strict):
    target_ids: list[str] = Field(default_factory=list, max_length=50)
    national_frameworks: list[str] = Field(default_factory=list, max_length=50)
    note: str | None = Field(default=None, max_length=2000)


class RequestIn(Strict):
    project_id: str = Id
    amounts: dict[ExpenseCategory, Money] = Field(min_length=1, description="baht per expense category")
    justification: str = Field(min_length=1, max_length=5000)
    priority: int | None = Field(default=None, ge=1, le=10000, description="the agency's own priority, 1 = highest")
    multi_year: bool = False
    alignment: AlignmentIn | None = None


class DecisionIn(Strict):
    decision: Decision
    reason: str = Field(min_length=1, max_length=5000)
    rank: int | None = Field(default=None, ge=1, le=100000, description="the subcommittee's priority rank")
    recommended_amounts: dict[ExpenseCategory, Money] | None = Field(
        default=None, description="only for recommend-reduced: baht per expense category"
    )


class PackageIn(Strict):
    note: str | None = Field(default=None, max_length=5000)


class CloseIn(Strict):
    publish_results: StrictBool = True


def payload(model: BaseModel) -> dict[str, Any]:
    """The canonical body for idempotency hashing."""
    return model.model_dump(mode="json")
