"""Request bodies. Unknown fields are refused so a typo never silently does nothing."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, StrictBool, WithJsonSchema

from budget_ledger.domain.ranking import MAX_CRITERIA, SCORE_MAX, WEIGHT_MAX
from budget_ledger.domain.screening import Decision
from budget_ledger.domain.stages import ExpenseCategory
from dgplan_contracts.codes import Code, ResourceId
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


def _decimal(pattern: str, low: Decimal, high: Decimal, strict_low: bool, description: str):  # type: ignore[no-untyped-def]
    shape = re.compile(pattern)

    def parse(value: object) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValueError("must be a decimal string, e.g. \"2.5\"")
        text = str(value)
        if not shape.fullmatch(text):
            raise ValueError(f"must be a decimal string of the form {pattern}")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError("must be a decimal string") from None
        if (number <= low if strict_low else number < low) or number > high:
            raise ValueError(f"must be {'greater than' if strict_low else 'at least'} {low} and at most {high}")
        return number

    return Annotated[
        Decimal,
        BeforeValidator(parse),
        PlainSerializer(lambda d: format(d, "f"), return_type=str),
        WithJsonSchema({"type": "string", "pattern": pattern, "description": description}),
    ]


Weight = _decimal(r"^[0-9]{1,4}(\.[0-9]{1,4})?$", Decimal(0), WEIGHT_MAX, True,
                  f"A criterion's weight: a decimal string greater than 0 and at most {WEIGHT_MAX} (at most four "
                  "places). Weights are relative: a request's weighted score is Σ weight·score / Σ weight.")
Score = _decimal(r"^[0-9]{1,3}(\.[0-9]{1,2})?$", Decimal(0), SCORE_MAX, False,
                 f"A score on a scale of 0 to {SCORE_MAX}: a decimal string, at most two places.")


class CriterionIn(Body):
    code: Code = Field(max_length=50, description="stable within the round, e.g. target-alignment")
    name: Bilingual
    weight: Weight
    target: str | None = Field(default=None, min_length=1, max_length=100,
                               description="the plan target (id or code) the criterion measures against, if any")


class CriteriaIn(Body):
    """The round's whole set of ranking criteria (replaces the set; scores of a criterion left out go with it)."""

    criteria: list[CriterionIn] = Field(min_length=1, max_length=MAX_CRITERIA)


class ScoreIn(Body):
    request_id: ResourceId
    criterion: Code = Field(max_length=50)
    score: Score
    reason: str = Field(min_length=1, max_length=2000, description="why this score (Thai first)")


class ScoresIn(Body):
    """Scores to set (each replaces that request's score on that criterion); others stay as they are."""

    scores: list[ScoreIn] = Field(min_length=1, max_length=1000)


def payload(model: BaseModel) -> dict[str, Any]:
    """The canonical body for idempotency hashing."""
    return model.model_dump(mode="json")
