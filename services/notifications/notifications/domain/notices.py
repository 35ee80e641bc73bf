"""E-mail notices to people: the kinds a person can turn off one by one, who is told what, when
a digest may go out, and how a failed send is retried. Pure rules (no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from dgplan_shared.errors import invalid

DECISION_WAITING = "decision-waiting"  # a decision now waits for a body the person belongs to
DEADLINE_NEAR = "deadline-near"  # ... and its deadline is near
STAGE_OVERDUE = "stage-overdue"  # ... and it is past its deadline (told once per stage entry)
REQUEST_CHANGED = "request-changed"  # the person's agency's budget request changed stage
REPORT_CHANGED = "report-changed"  # the person's (agency's) progress report changed stage
KINDS = (DECISION_WAITING, DEADLINE_NEAR, STAGE_OVERDUE, REQUEST_CHANGED, REPORT_CHANGED)
LANGUAGES = ("th", "en")
DEFAULT_LANGUAGE = "th"

# RFC 5321 caps an address at 254 characters in practice; this is a plausibility check (one @, a
# dotted domain, no spaces or control characters), the mail server has the last word.
_ADDRESS = re.compile(r"^[^\s@\x00-\x1f]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


def checked_address(address: str) -> str:
    value = address.strip()
    if len(value) > 254 or not _ADDRESS.match(value):
        raise invalid("email", "an e-mail address such as name@agency.go.th")
    return value


def checked_kind(kind: str) -> str:
    if kind not in KINDS:
        raise invalid("kind", f"one of {', '.join(KINDS)}")
    return kind


def checked_language(language: str) -> str:
    if language not in LANGUAGES:
        raise invalid("language", "th or en")
    return language


def earliest_send(created_at: datetime, last_sent: datetime | None, window: timedelta) -> datetime:
    """At most one mail per person and kind per window: the first goes at once, the next waits
    until a window has passed since the previous one (and takes every notice made meanwhile)."""
    if last_sent is None:
        return created_at
    return max(created_at, last_sent + window)


# SMTP outages are waited out with doubling pauses (30 s, 1 min, 2 min, ... at most an hour);
# after a day and a half of failures the mail is given up (and stays visible as failed).
FIRST_RETRY_SECONDS = 30.0
MAX_RETRY_SECONDS = 3600.0
MAX_ATTEMPTS = 45


@dataclass(frozen=True)
class MailVerdict:
    kind: str  # sent | retry | failed
    delay_seconds: float | None = None


def judge_send(ok: bool, permanent: bool, attempts_made: int, factor: float = 1.0) -> MailVerdict:
    """``permanent``: the server refused the message itself (5xx), which a retry would not change."""
    if ok:
        return MailVerdict("sent")
    if permanent or attempts_made >= MAX_ATTEMPTS:
        return MailVerdict("failed")
    delay = min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (attempts_made - 1))
    return MailVerdict("retry", delay * factor)
