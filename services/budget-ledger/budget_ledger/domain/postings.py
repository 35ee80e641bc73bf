"""What a posting is: an appropriation key, a stage and a signed amount, and the entry it becomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True, order=True)
class AppropriationKey:
    """(plan, strategy, project, fiscal year, expense category); "" / 0 where a level is not named."""

    plan_id: str
    strategy_id: str = ""
    project_id: str = ""
    fiscal_year: int = 0
    expense_category: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "plan_id": self.plan_id,
            "strategy_id": self.strategy_id,
            "project_id": self.project_id,
            "fiscal_year": self.fiscal_year,
            "expense_category": self.expense_category,
        }


@dataclass(frozen=True)
class Posting:
    key: AppropriationKey
    stage: str
    amount: Decimal  # signed: reversals and framework adjustments are negative entries
    agency: str | None = None
    round_id: str | None = None
    request_id: str | None = None
    reference: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class PostedEntry:
    entry_id: str
    seq: int | None
    posting: Posting
    posted_by: str
    posted_at: datetime
