"""Thai fiscal years (Buddhist Era), one type and one range for every service.

FY N runs 1 Oct (N−544 CE) to 30 Sep (N−543 CE); quarters Q1 Oct–Dec, Q2 Jan–Mar, Q3 Apr–Jun,
Q4 Jul–Sep. The range 2500–2700 (1957–2157 CE) holds every plan the platform can carry and
catches a CE year (2026) or a typo (25650) sent by mistake.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

BE_OFFSET = 543
FY_MIN = 2500
FY_MAX = 2700

FiscalYear = Annotated[
    int, Field(ge=FY_MIN, le=FY_MAX, description=f"Buddhist-Era fiscal year ({FY_MIN}–{FY_MAX}), e.g. 2565")
]
Quarter = Annotated[int, Field(ge=1, le=4, description="Thai fiscal quarter: 1 Oct–Dec, 2 Jan–Mar, 3 Apr–Jun, 4 Jul–Sep")]


def fiscal_year_range(fiscal_year: int) -> tuple[date, date]:
    """First and last day (CE) of a BE fiscal year."""
    return date(fiscal_year - BE_OFFSET - 1, 10, 1), date(fiscal_year - BE_OFFSET, 9, 30)


def fiscal_year_range_json(fiscal_year: int) -> dict[str, str]:
    start, end = fiscal_year_range(fiscal_year)
    return {"start": start.isoformat(), "end": end.isoformat()}


def fiscal_year_of(day: date) -> int:
    """The BE fiscal year a CE date falls in."""
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def quarter_of(day: date) -> int:
    return (day.month - 10) % 12 // 3 + 1


def quarter_range(fiscal_year: int, quarter: int) -> tuple[date, date]:
    """First and last day (CE) of a quarter of a BE fiscal year."""
    if not 1 <= quarter <= 4:
        raise ValueError("quarter is 1 to 4")
    start_month = (9 + 3 * (quarter - 1)) % 12 + 1
    start_year = fiscal_year - BE_OFFSET - (1 if quarter == 1 else 0)
    end_month = start_month + 2
    next_first = date(start_year + (1 if end_month == 12 else 0), end_month % 12 + 1, 1)
    return date(start_year, start_month, 1), date.fromordinal(next_first.toordinal() - 1)
