"""Screening decisions and round states, and what each decision posts to the ledger."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Decision(StrEnum):
    RECOMMEND_FULL = "recommend-full"
    RECOMMEND_REDUCED = "recommend-reduced"
    DEFER = "defer"
    REJECT = "reject"
    RETURN = "return"


DECISIONS = tuple(d.value for d in Decision)


class RoundStatus(StrEnum):
    OPEN = "open"  # accepting requests (until the submission deadline) and decisions
    PACKAGE_SUBMITTED = "package-submitted"  # with the committee; decisions frozen
    APPROVED = "approved"  # approved amounts (and allocations) posted
    CLOSED = "closed"


# The ledger stage each decision moves the requested money into.
DECISION_STAGE = {
    Decision.RECOMMEND_FULL: "recommended",
    Decision.RECOMMEND_REDUCED: "recommended",
    Decision.DEFER: "deferred",
    Decision.REJECT: "rejected",
    Decision.RETURN: "returned",
}


def decision_amounts(
    decision: Decision, requested: Mapping[str, Decimal], recommended: Mapping[str, Decimal] | None
) -> dict[str, Decimal]:
    """Per expense category, the amount the decision puts into its stage."""
    if decision is Decision.RECOMMEND_REDUCED:
        return {c: (recommended or {}).get(c, Decimal("0.00")) for c in requested}
    return dict(requested)


@dataclass(frozen=True)
class Meeting:
    """The meeting of the screening subcommittee whose resolution a decision records: a request is
    decided by the body at a meeting, and the chair or the secretary writes down what it resolved
    (issue 16 item 8), never one member alone."""

    title: str  # e.g. "การประชุมคณะอนุกรรมการฯ ครั้งที่ 2/2564"
    held_on: date
    resolution: str | None = None  # the agenda item or resolution number in the minutes

    def as_dict(self) -> dict[str, str | None]:
        return {"title": self.title, "held_on": self.held_on.isoformat(), "resolution": self.resolution}


def meeting_problem(meeting: Meeting, today: date) -> str | None:
    """Why a decision cannot be the resolution of ``meeting``, or None: minutes record a meeting
    that has been held, so its date is not after today (the caller's today, in Thailand)."""
    if meeting.held_on > today:
        return f"the meeting is dated {meeting.held_on.isoformat()}, after today ({today.isoformat()}): record a resolution once the meeting has been held"
    return None


UNSCREENED = "unscreened"  # the tally key of "no decision yet" (a key column cannot be NULL)


@dataclass(frozen=True)
class Bucket:
    """One running total of a round's status: (round, strategy, agency, decision)."""

    round_id: str
    strategy_id: str
    agency: str
    decision: str | None  # None = unscreened
