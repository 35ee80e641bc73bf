"""When a screening round may open: its fiscal year inside the plan's, its deadlines in order and
still ahead, and no other round for the same plan and fiscal year.

One regular round per plan and fiscal year, and no exception: a supplementary budget is not
screened by this service (a second round would let the same project be requested, screened and
allocated twice). The database holds the rule too (a unique index), for concurrent openings."""

from __future__ import annotations

from datetime import datetime

from dgplan_shared.errors import ProblemError, conflict, invalid


def check_round_opening(
    fiscal_year: int,
    plan_years: tuple[int | None, int | None],
    submission_deadline: datetime,
    decision_deadline: datetime,
    now: datetime,
) -> None:
    start_fy, end_fy = plan_years
    if start_fy and end_fy and not start_fy <= fiscal_year <= end_fy:
        raise invalid("fiscal_year", f"outside the plan's fiscal years {start_fy}–{end_fy}")
    if submission_deadline <= now:
        # A round nobody can submit to would open only to refuse every request.
        raise invalid(
            "submission_deadline",
            f"has already passed ({submission_deadline.isoformat()} is not after now, {now.isoformat()}): "
            "no agency could submit a request",
            slug="submission-deadline-in-the-past",
        )
    if decision_deadline <= submission_deadline:
        raise invalid("decision_deadline", "must be after the submission deadline")


def round_exists(plan_id: str, fiscal_year: int, round_id: str | None) -> ProblemError:
    return conflict(
        "round-exists",
        f"Plan {plan_id} already has a screening round for fiscal year {fiscal_year}: one round per plan and "
        "fiscal year.",
        round_id=round_id,
    )
