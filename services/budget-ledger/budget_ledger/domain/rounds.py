"""When a screening round may open: its fiscal year inside the plan's, its deadlines in order."""

from __future__ import annotations

from datetime import datetime

from dgplan_shared.errors import invalid


def check_round_opening(
    fiscal_year: int,
    plan_years: tuple[int | None, int | None],
    submission_deadline: datetime,
    decision_deadline: datetime,
) -> None:
    start_fy, end_fy = plan_years
    if start_fy and end_fy and not start_fy <= fiscal_year <= end_fy:
        raise invalid("fiscal_year", f"outside the plan's fiscal years {start_fy}–{end_fy}")
    if decision_deadline <= submission_deadline:
        raise invalid("decision_deadline", "must be after the submission deadline")
