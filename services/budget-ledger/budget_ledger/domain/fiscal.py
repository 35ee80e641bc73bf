"""Thai fiscal years (Buddhist Era): FY N runs 1 Oct (N−544 CE) to 30 Sep (N−543 CE)."""

from __future__ import annotations

from datetime import date

BE_OFFSET = 543


def fiscal_year_range(fiscal_year: int) -> tuple[date, date]:
    return date(fiscal_year - BE_OFFSET - 1, 10, 1), date(fiscal_year - BE_OFFSET, 9, 30)


def fiscal_year_range_json(fiscal_year: int) -> dict[str, str]:
    start, end = fiscal_year_range(fiscal_year)
    return {"start": start.isoformat(), "end": end.isoformat()}
