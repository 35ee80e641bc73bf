"""Request bodies. Unknown fields are refused so a typo never silently does nothing."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool

from budget_ledger.domain.screening import Decision
from budget_ledger.domain.stages import ExpenseCategory
from dgplan_contracts.codes import ResourceId
from dgplan_contracts.fiscal import FiscalYear
from dgplan_contracts.money import Money
from dgplan_contracts.text import Bilingual
from dgplan_shared.web.models import Strict


class Body(Strict):
    # Surrounding blanks are dropped, as the ledger always did (a blank justification stays refused).
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PostingIn(Body):
    project_id: ResourceId
    fiscal_year: FiscalYear
    expense_category: ExpenseCategory
    stage: Literal["allocated", "committed", "disbursed"]
    amount: Money
    reference: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=2000)


class BatchIn(Body):
    entries: list[PostingIn] = Field(min_length=1, max_length=1000)


class StrategyFrameworkIn(Body):
    strategy_id: ResourceId
    code: str | None = Field(default=None, max_length=50)
    number: int | None = Field(default=None, ge=1, le=100)
    title: Bilingual | None = None
    budget_framework: Money
    fiscal_years: dict[FiscalYear, Money] | None = Field(default=None, description="optional split by fiscal year (BE)")


class FrameworkImportIn(Body):
    plan_id: ResourceId
    plan_code: str | None = Field(default=None, max_length=100)
    start_fy: FiscalYear | None = None
    end_fy: FiscalYear | None = None
    plan_total: Money
    strategies: list[StrategyFrameworkIn] = Field(min_length=1, max_length=100)


class RoundOpenIn(Body):
    plan_id: ResourceId
    fiscal_year: FiscalYear
    ceiling: Money
    submission_deadline: AwareDatetime
    decision_deadline: AwareDatetime
    title: str | None = Field(default=None, max_length=500)


class AlignmentIn(Body):
    target_ids: list[str] = Field(default_factory=list, max_length=50)
    national_frameworks: list[str] = Field(default_factory=list, max_length=50)
    note: str | None = Field(default=None, max_length=2000)


class RequestIn(Body):
    project_id: ResourceId
    amounts: dict[ExpenseCategory, Money] = Field(min_length=1, description="baht per expense category")
    justification: str = Field(min_length=1, max_length=5000)
    priority: int | None = Field(default=None, ge=1, le=10000, description="the agency's own priority, 1 = highest")
    multi_year: bool = False
    alignment: AlignmentIn | None = None


class MeetingIn(Body):
    """The subcommittee meeting whose resolution the decision records."""

    title: str = Field(min_length=1, max_length=300, description="the meeting as the minutes name it, e.g. ครั้งที่ 2/2564")
    held_on: date = Field(description="the day the meeting was held (not after today)")
    resolution: str | None = Field(
        default=None, min_length=1, max_length=100, description="the agenda item or resolution number in the minutes"
    )


class DecisionIn(Body):
    """Recorded by the subcommittee's chair or secretary as the resolution of a named meeting."""

    decision: Decision
    meeting: MeetingIn
    reason: str = Field(min_length=1, max_length=5000)
    rank: int | None = Field(default=None, ge=1, le=100000, description="the subcommittee's priority rank")
    recommended_amounts: dict[ExpenseCategory, Money] | None = Field(
        default=None, description="only for recommend-reduced: baht per expense category"
    )


class PackageIn(Body):
    note: str | None = Field(default=None, max_length=5000)


class CloseIn(Body):
    publish_results: StrictBool = True


def payload(model: BaseModel) -> dict[str, Any]:
    """The canonical body for idempotency hashing."""
    return model.model_dump(mode="json")
