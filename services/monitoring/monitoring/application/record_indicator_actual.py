"""Record an actual of a plan-level indicator (plan target, strategy), posted by the secretariat.

Project indicators get their actuals from the lead agency's progress reports instead. As with
reports, a second actual for the same quarter must be a marked revision of the current one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dgplan_contracts.identity import SECRETARIAT, Principal, require_role
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict, invalid, not_found
from monitoring.adapters.repositories import Repositories, repositories
from monitoring.application.views import actual_view
from monitoring.domain.actuals import resolve_actual


@dataclass(frozen=True)
class RecordIndicatorActual:
    principal: Principal
    indicator_id: str
    fiscal_year: int
    quarter: int
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str | None = None
    evidence: tuple[dict[str, Any], ...] = ()
    revises_actual_id: str | None = None
    revision_reason: str | None = None


async def _revision(repos: Repositories, c: RecordIndicatorActual) -> int:
    current = await repos.indicators.current_actual(c.indicator_id, c.fiscal_year, c.quarter)
    if current is None:
        if c.revises_actual_id is not None:
            raise invalid("revises_actual_id", "there is no actual of this quarter to revise yet")
        return 1
    actual_id, revision = current
    if c.revises_actual_id is None:
        raise conflict("duplicate-indicator-actual",
                       f"FY{c.fiscal_year} Q{c.quarter} has an actual already ({actual_id}); "
                       "correct it with revises_actual_id and revision_reason.", current_actual_id=actual_id)
    if c.revises_actual_id != actual_id:
        raise conflict("stale-revision", f"Revise the current actual {actual_id}.", current_actual_id=actual_id)
    if not c.revision_reason:
        raise invalid("revision_reason", "say why the actual is corrected")
    return revision + 1


async def handle(command: RecordIndicatorActual, uow: UnitOfWork) -> dict[str, Any]:
    require_role(command.principal, SECRETARIAT)
    repos = repositories(uow)
    indicator = await repos.indicators.get(command.indicator_id)
    if indicator is None:
        raise not_found("indicator", command.indicator_id)
    if indicator["link_type"] == "project":
        raise invalid("indicator_id", "a project indicator's actuals come with the project's progress reports",
                      slug="project-indicator")
    revision = await _revision(repos, command)
    resolved = resolve_actual(indicator, "", command.value, command.numerator, command.denominator, command.note)
    row = {
        "actual_id": str(uuid.uuid4()),
        "indicator_id": command.indicator_id,
        "fiscal_year": command.fiscal_year,
        "quarter": command.quarter,
        "revision": revision,
        "revision_reason": command.revision_reason if revision > 1 else None,
        **resolved,
        "evidence": list(command.evidence),
        "submitted_by": command.principal.subject,
        "submitted_at": utcnow(),
    }
    await repos.indicators.add_actual(row)
    return actual_view(row)
