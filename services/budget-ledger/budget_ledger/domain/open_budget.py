"""The open budget: what the Fiscal Data Package holds and which of it each audience may read.

The public reads what the ledger already publishes: the plan's budget frameworks (published plan
figures) and, for a fiscal year whose screening round is closed with its results published, the
requested, recommended and approved money. Execution (allocated, committed, disbursed) and rounds
still under way stay with the oversight roles, as the ledger's balances do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from budget_ledger.domain.screening import RoundStatus

PUBLISHED_STAGES = ("requested", "recommended", "approved")
EXECUTION_STAGES = ("allocated", "committed", "disbursed")


class Audience(StrEnum):
    PUBLIC = "public"
    OVERSIGHT = "oversight"


def stages_for(audience: Audience) -> tuple[str, ...]:
    return PUBLISHED_STAGES if audience is Audience.PUBLIC else PUBLISHED_STAGES + EXECUTION_STAGES


def round_is_published(status: str, published: bool) -> bool:
    return status == RoundStatus.CLOSED.value and bool(published)


def round_visible(audience: Audience, status: str, published: bool) -> bool:
    return audience is Audience.OVERSIGHT or round_is_published(status, published)


@dataclass(frozen=True)
class Framework:
    """The plan's framework (``level`` plan) or one strategy's, for the whole plan period."""

    framework_id: str
    level: str
    amount: Decimal
    strategy_code: str | None = None
    strategy_number: int | None = None
    name_th: str | None = None
    name_en: str | None = None


@dataclass(frozen=True)
class FrameworkYear:
    """A strategy's framework for one fiscal year, where the ledger holds the split."""

    framework_id: str
    fiscal_year: int
    amount: Decimal


@dataclass(frozen=True)
class Round:
    round_id: str
    fiscal_year: int
    title: str | None
    status: str
    published: bool
    ceiling: Decimal
    approved_total: Decimal
    closed_at: Any


@dataclass(frozen=True)
class BudgetLine:
    """One appropriation (project, fiscal year, expense category) with its balance per stage."""

    fiscal_year: int
    strategy_id: str
    project_id: str
    expense_category: str
    agency: str | None
    amounts: dict[str, Decimal]
    decision: str | None = None
    # Code and Thai/English titles of the strategy and the project, as the registry announced them.
    strategy: dict[str, Any] | None = None
    project: dict[str, Any] | None = None


@dataclass(frozen=True)
class OpenBudget:
    plan_id: str
    plan_code: str | None
    start_fy: int | None
    end_fy: int | None
    audience: Audience
    balanced: bool
    frameworks: list[Framework] = field(default_factory=list)
    framework_years: list[FrameworkYear] = field(default_factory=list)
    rounds: list[Round] = field(default_factory=list)
    lines: list[BudgetLine] = field(default_factory=list)

    @property
    def stages(self) -> tuple[str, ...]:
        return stages_for(self.audience)
