"""What the public scorecard page draws from the monitoring service's scorecard: which fiscal year
to show, the plan's fiscal years, bars of projects by status and of registered projects against
those the plan declares. Pure arithmetic on the API's figures (Decimal, never float)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from console.domain.formatting import BUDDHIST_ERA_OFFSET

# The monitoring service's statuses, in the order a reader weighs them.
STATUSES = ("on_track", "at_risk", "off_track", "completed", "not_reporting")
# Their names as gettext message ids (the page translates them).
STATUS_NAMES = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track", "completed": "Completed",
                "not_reporting": "Not reporting"}


@dataclass(frozen=True)
class CountBar:
    key: str
    label: str
    count: int
    of: int | None  # what the count is measured against (declared projects), None for a share of the total
    percent: Decimal  # bar length in percent of the longest bar's scale, 0–100
    share: Decimal | None  # percent of ``of`` (or of the total), None when there is nothing to divide by


def fiscal_year_of(day: date) -> int:
    """Thai fiscal year (Buddhist Era) of a day: FY N runs 1 October N-544 CE to 30 September N-543 CE."""
    return day.year + BUDDHIST_ERA_OFFSET + (1 if day.month >= 10 else 0)


def plan_fiscal_years(plan: dict[str, Any]) -> list[int]:
    start, end = plan.get("start_fy"), plan.get("end_fy")
    if not start or not end or end < start:
        return []
    return list(range(start, end + 1))


def default_fiscal_year(plan: dict[str, Any], today: date) -> int | None:
    """Today's fiscal year when the plan runs in it; otherwise the plan's nearest year (its last once
    it has ended, its first before it starts), so the page always opens on a year the plan has."""
    years = plan_fiscal_years(plan)
    if not years:
        return None
    return min(max(fiscal_year_of(today), years[0]), years[-1])


def chosen_fiscal_year(requested: int | None, plan: dict[str, Any], today: date) -> int | None:
    """A requested year outside the plan falls back to the default rather than asking the API for a
    scorecard it refuses."""
    if requested is not None and requested in plan_fiscal_years(plan):
        return requested
    return default_fiscal_year(plan, today)


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")) if whole > 0 else Decimal(0)


def status_bars(by_status: dict[str, int], labels: dict[str, str]) -> tuple[CountBar, ...]:
    """Projects per status, every status shown (a zero is news too), bars on the scale of all projects."""
    counts = {key: int(by_status.get(key) or 0) for key in STATUSES}
    total = sum(counts.values())
    return tuple(
        CountBar(key, labels.get(key, key), count, None, _percent(count, total), _percent(count, total) if total else None)
        for key, count in counts.items()
    )


def completeness_bars(groups: list[tuple[str, str, dict[str, Any]]]) -> tuple[CountBar, ...]:
    """(key, label, completeness) per strategy: registered projects against the declared ones. Each
    track is the strategy's own declared count, so a full bar means every declared project is
    registered (capped there: a strategy may register more than it declared)."""
    bars = []
    for key, label, completeness in groups:
        registered = int(completeness.get("registered_projects") or 0)
        of = int(completeness.get("declared_projects") or 0) or None
        share = _percent(registered, of) if of else None
        bars.append(CountBar(key, label, registered, of, min(share, Decimal(100)) if share is not None else Decimal(0),
                             share))
    return tuple(bars)


def indicator_rows(card: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan-level indicators with what each is linked to (a strategy's or a target's code), so
    one table lists every target against its actual."""
    owners: dict[tuple[str, str], str] = {}
    for s in card.get("strategies") or []:
        owners[("strategy", s.get("strategy_id") or "")] = s.get("code") or ""
    for t in card.get("targets") or []:
        owners[("plan_target", t.get("target_id") or "")] = t.get("code") or ""
    rows = []
    for indicator in card.get("indicators") or []:
        link = indicator.get("link") or {}
        rows.append({**indicator, "linked_code": owners.get((link.get("type") or "", link.get("id") or ""), "")})
    return rows
