"""Monitoring's rules on Thai fiscal time, pure: quarters as values with neighbours, the quarter
whose report is due, and the share of a period elapsed. Fiscal years and their date ranges are
the shared ``dgplan_contracts.fiscal`` (FY N runs 1 Oct N-544 CE to 30 Sep N-543 CE;
Q1 Oct-Dec, Q2 Jan-Mar, Q3 Apr-Jun, Q4 Jul-Sep).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dgplan_contracts import fiscal


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    fiscal_year: int
    quarter: int

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError("quarter must be 1..4")

    @property
    def start(self) -> date:
        return fiscal.quarter_range(self.fiscal_year, self.quarter)[0]

    @property
    def end(self) -> date:
        return fiscal.quarter_range(self.fiscal_year, self.quarter)[1]

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


def quarter_of(day: date) -> FiscalQuarter:
    return FiscalQuarter(fiscal.fiscal_year_of(day), fiscal.quarter_of(day))


def elapsed_fraction(start: date, end: date, as_of: date) -> float:
    """Share of the inclusive period [start, end] that has passed by the end of ``as_of`` (0..1)."""
    if as_of < start:
        return 0.0
    if as_of >= end:
        return 1.0
    return ((as_of - start).days + 1) / ((end - start).days + 1)


def fiscal_year_elapsed(fiscal_year: int, as_of: date) -> float:
    return elapsed_fraction(*fiscal.fiscal_year_range(fiscal_year), as_of)


def clipped_to_fiscal_year(fiscal_year: int, day: date) -> date:
    start, end = fiscal.fiscal_year_range(fiscal_year)
    return min(max(day, start), end)


def last_due_quarter(as_of: date, grace_days: int) -> FiscalQuarter:
    """The latest quarter whose report is due by ``as_of``: it ended ``grace_days`` or more ago."""
    quarter = quarter_of(as_of).previous()
    while quarter.end + timedelta(days=grace_days) >= as_of:
        quarter = quarter.previous()
    return quarter
