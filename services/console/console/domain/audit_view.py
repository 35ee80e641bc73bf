"""How the oversight page reads the audit log: the dates a person types (Buddhist Era, as Thai
offices write them), the Bangkok days they mean as API instants, an entry's moment and the page
its subject has in the console. Pure: no web, no API."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from console.domain.formatting import BANGKOK, BUDDHIST_ERA_OFFSET, format_date, parse_instant

# What the gateway writes to the chain (its use cases' action names), in the order a filter lists them.
ACTIONS = (
    "body-created", "body-changed", "member-added", "member-changed", "workflow-version-added",
    "instance-started", "vote-cast", "stage-decided", "decided", "advanced", "resubmitted",
    "deadline-passed", "stage-overdue",
)
# Years from here on are Buddhist Era: no plan of this century is dated 2400 CE or later.
_FIRST_BE_YEAR = 2400
_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


class DateNotUnderstood(ValueError):
    pass


def parse_typed_date(text: str | None) -> date | None:
    """``2/12/2569`` (day/month/Buddhist year), ``2/12/2026``, or ``2026-12-02`` (a date picker's value)."""
    if text is None or not text.strip():
        return None
    if matched := _DAY_MONTH_YEAR.match(text):
        day, month, year = (int(g) for g in matched.groups())
    elif matched := _ISO.match(text):
        year, month, day = (int(g) for g in matched.groups())
    else:
        raise DateNotUnderstood(text)
    if year >= _FIRST_BE_YEAR:
        year -= BUDDHIST_ERA_OFFSET
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateNotUnderstood(text) from exc


def typed_text(value: date) -> str:
    """A date as the form shows it again: day/month/Buddhist year."""
    return f"{value.day}/{value.month}/{value.year + BUDDHIST_ERA_OFFSET}"


@dataclass(frozen=True)
class Window:
    since: datetime | None
    until: datetime | None

    def params(self) -> dict[str, str]:
        found = {"since": self.since, "until": self.until}
        return {k: v.isoformat() for k, v in found.items() if v is not None}


def bangkok_days(first: date | None, last: date | None) -> Window:
    """From the start of ``first`` to the end of ``last`` (both whole days, Bangkok time): the API's
    ``since`` is inclusive, its ``until`` exclusive, so the window ends at the next midnight."""
    since = datetime.combine(first, time(), BANGKOK) if first else None
    until = datetime.combine(last + timedelta(days=1), time(), BANGKOK) if last else None
    return Window(since, until)


def format_moment(value: str | datetime | None, locale: str) -> str:
    """``2 ธันวาคม 2569 เวลา 11:33 น.`` / ``2 December 2026, 11:33`` (Bangkok time)."""
    moment = parse_instant(value) if isinstance(value, str) else value
    if moment is None:
        return ""
    local = moment.astimezone(BANGKOK)
    clock = local.strftime("%H:%M")
    day = format_date(local.date(), locale)
    return f"{day} เวลา {clock} น." if locale == "th" else f"{day}, {clock}"


@dataclass(frozen=True)
class Subject:
    kind: str  # body / workflow / instance / another prefix the chain may carry
    key: str
    href: str | None


def subject_of(target: str) -> Subject:
    """``body:nesdc`` → the bodies page at that body; ``instance:…`` → the matter's decision page."""
    kind, _, key = target.partition(":")
    if not key:
        return Subject("", target, None)
    pages = {"body": f"/oversight/bodies#body-{key}", "workflow": f"/oversight/workflows#workflow-{key}",
             "instance": f"/inbox/{key}"}
    return Subject(kind, key, pages.get(kind))


def acting_as(text: str | None) -> tuple[str, str | None]:
    """``chair@nesdc`` → (``chair``, ``nesdc``): the office and the body it was held in; ``system`` → (``system``, None)."""
    office, _, body = (text or "").partition("@")
    return office, body or None
