"""Ledger stages, expense categories and the invariants between stages (DESIGN §2).

The ledger keeps every stage as its own entries; a balance is the sum of an appropriation's
entries in one stage. The chain is: requested ≥ recommended (+ deferred + rejected + returned,
the other ways a request can be disposed of) ≥ approved ≥ allocated ≥ committed ≥ disbursed.
DESIGN says "disbursed ≤ allocated"; we hold the stronger "disbursed ≤ committed" (money is
committed by a contract before it is paid), which implies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

from dgplan_contracts.money import money_str
from dgplan_shared.errors import ProblemError


class Stage(StrEnum):
    FRAMEWORK = "framework"
    REQUESTED = "requested"
    RECOMMENDED = "recommended"
    APPROVED = "approved"
    ALLOCATED = "allocated"
    COMMITTED = "committed"
    DISBURSED = "disbursed"
    DEFERRED = "deferred"
    REJECTED = "rejected"
    RETURNED = "returned"


class ExpenseCategory(StrEnum):
    PERSONNEL = "personnel"
    OPERATING = "operating"
    INVESTMENT = "investment"
    SUBSIDY = "subsidy"
    OTHER = "other"


STAGES = tuple(s.value for s in Stage)
CATEGORIES = tuple(c.value for c in ExpenseCategory)

# Stages a caller may post directly through the postings API; the others come from screening.
DIRECT_STAGES = (Stage.ALLOCATED, Stage.COMMITTED, Stage.DISBURSED)

# (lower stage(s), upper stage, problem slug, human message)
LIMITS: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (("recommended", "deferred", "rejected", "returned"), "requested", "recommendation-above-request",
     "screened amounts would exceed the amount requested"),
    (("approved",), "recommended", "approval-above-recommendation", "approved would exceed recommended"),
    (("allocated",), "approved", "allocation-above-approval", "allocated would exceed approved"),
    (("committed",), "allocated", "commitment-above-allocation", "committed would exceed allocated"),
    (("disbursed",), "committed", "disbursement-above-commitment", "disbursed would exceed committed"),
)


class InvariantViolation(ProblemError):
    """A broken invariant as the client sees it: 422 with a stable type per invariant."""

    def __init__(self, slug: str, message: str, stage: str, shortfall: Decimal) -> None:
        super().__init__(
            422, slug, "Request is not valid", f"{message} by {money_str(shortfall)} baht",
            appropriation=None, errors=[{"field": "amount", "message": message}],
        )
        self.message = message
        self.stage = stage
        self.shortfall = shortfall

    def at(self, appropriation: dict[str, Any]) -> InvariantViolation:
        """The same refusal, naming the appropriation it happened on."""
        self.extensions["appropriation"] = appropriation
        return self


def check_balances(balances: Mapping[str, Decimal]) -> None:
    """Raise InvariantViolation for the first broken rule in one appropriation's balances."""
    for stage in STAGES:
        if balances.get(stage, Decimal(0)) < 0:
            raise InvariantViolation("negative-balance", f"{stage} balance would go below zero", stage, -balances[stage])
    for lower, upper, slug, message in LIMITS:
        used = sum((balances.get(s, Decimal(0)) for s in lower), Decimal(0))
        if used > balances.get(upper, Decimal(0)):
            shortfall = used - balances.get(upper, Decimal(0))
            raise InvariantViolation(slug, message, lower[0], shortfall)
