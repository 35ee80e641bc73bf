"""Thai fiscal time, pure: fiscal years in the Buddhist Era and their quarters.

FY N (B.E.) runs 1 October (N - 544 C.E.) to 30 September (N - 543 C.E.).
Q1 is October-December, Q2 January-March, Q3 April-June, Q4 July-September.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

BE_OFFSET = 543


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    fiscal_year: int
    quarter: int

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError("quarter must be 1..4")

    @property
    def start(self) -> date:
        ce_start_year = self.fiscal_year - BE_OFFSET - 1
        month = 10 + 3 * (self.quarter - 1)
        return date(ce_start_year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> FiscalQuarter:
        if self.quarter == 4:
            return FiscalQuarter(self.fiscal_year + 1, 1)
        return FiscalQuarter(self.fiscal_year, self.quarter + 1)

    def previous(self) -> FiscalQuarter:
        if self.quarter == 1:
            return FiscalQuarter(self.fiscal_year - 1, 4)
        return FiscalQuarter(self.fiscal_year, self.quarter - 1)

    def label(self) -> str:
        return f"FY{self.fiscal_year}-Q{self.quarter}"


def fiscal_year_start(fiscal_year: int) -> date:
    return date(fiscal_year - BE_OFFSET - 1, 10, 1)


def fiscal_year_end(fiscal_year: int) -> date:
    return date(fiscal_year - BE_OFFSET, 9, 30)


def fiscal_year_of(day: date) -> int:
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def quarter_of(day: date) -> FiscalQuarter:
    fiscal_month = (day.month - 10) % 12  # 0 for October
    return FiscalQuarter(fiscal_year_of(day), fiscal_month // 3 + 1)


def elapsed_fraction(start: date, end: date, as_of: date) -> float:
    """Share of the inclusive period [start, end] that has passed by the end of ``as_of`` (0..1)."""
    if as_of < start:
        return 0.0
    if as_of >= end:
        return 1.0
    return ((as_of - start).days + 1) / ((end - start).days + 1)


def fiscal_year_elapsed(fiscal_year: int, as_of: date) -> float:
    return elapsed_fraction(fiscal_year_start(fiscal_year), fiscal_year_end(fiscal_year), as_of)


def last_due_quarter(as_of: date, grace_days: int) -> FiscalQuarter:
    """The latest quarter whose report is due by ``as_of``: it ended ``grace_days`` or more ago."""
    quarter = quarter_of(as_of).previous()
    while quarter.end + timedelta(days=grace_days) >= as_of:
        quarter = quarter.previous()
    return quarter


def fiscal_year_range(fiscal_year: int) -> dict[str, str]:
    return {"start": fiscal_year_start(fiscal_year).isoformat(), "end": fiscal_year_end(fiscal_year).isoformat()}
