"""A broken invariant as the client sees it: 422 with a stable type per invariant."""

from __future__ import annotations

from budget_ledger.domain.money import money_str
from budget_ledger.domain.stages import InvariantViolation
from dgplan_shared.problems import ProblemError


def violation_problem(v: InvariantViolation) -> ProblemError:
    key = getattr(v, "key", None)
    return ProblemError(
        422,
        v.slug,
        "Request is not valid",
        f"{v.message} by {money_str(v.shortfall)} baht",
        appropriation=key.as_dict() if key else None,
        errors=[{"field": "amount", "message": v.message}],
    )
