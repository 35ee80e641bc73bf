"""Actuals of plan-level indicators (plan targets, strategies), posted by the secretariat.

Project indicators get their actuals from the lead agency's progress reports instead. As with
reports, a second actual for the same quarter must be a marked revision of the current one.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.types import utcnow
from dgplan_shared.problems import conflict, invalid, not_found
from monitoring.api.schemas import IndicatorActualIn
from monitoring.db.tables import indicator_actuals, indicators
from monitoring.usecases.actual_values import resolve_actual


def render(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "actual_id": row["actual_id"],
        "indicator_id": row["indicator_id"],
        "fiscal_year": row["fiscal_year"],
        "quarter": row["quarter"],
        "revision": row["revision"],
        "revision_reason": row["revision_reason"],
        "value": row["value"],
        "numerator": row["numerator"],
        "denominator": row["denominator"],
        "note": row["note"],
        "evidence": row["evidence"],
        "submitted_by": row["submitted_by"],
        "submitted_at": row["submitted_at"].isoformat(),
    }


async def _revision(session: AsyncSession, indicator_id: str, body: IndicatorActualIn) -> int:
    current = (await session.execute(
        select(indicator_actuals.c.actual_id, indicator_actuals.c.revision)
        .where(indicator_actuals.c.indicator_id == indicator_id,
               indicator_actuals.c.fiscal_year == body.fiscal_year,
               indicator_actuals.c.quarter == body.quarter)
        .order_by(indicator_actuals.c.revision.desc()).limit(1))).first()
    if current is None:
        if body.revises_actual_id is not None:
            raise invalid("revises_actual_id", "there is no actual of this quarter to revise yet")
        return 1
    if body.revises_actual_id is None:
        raise conflict("duplicate-indicator-actual",
                       f"FY{body.fiscal_year} Q{body.quarter} has an actual already ({current.actual_id}); "
                       "correct it with revises_actual_id and revision_reason.", current_actual_id=current.actual_id)
    if body.revises_actual_id != current.actual_id:
        raise conflict("stale-revision", f"Revise the current actual {current.actual_id}.",
                       current_actual_id=current.actual_id)
    if not body.revision_reason:
        raise invalid("revision_reason", "say why the actual is corrected")
    return current.revision + 1


async def record_indicator_actual(
    session: AsyncSession, indicator_id: str, body: IndicatorActualIn, submitted_by: str
) -> dict[str, Any]:
    indicator = (await session.execute(
        select(indicators).where(indicators.c.indicator_id == indicator_id))).mappings().first()
    if indicator is None:
        raise not_found("indicator", indicator_id)
    if indicator["link_type"] == "project":
        raise invalid("indicator_id", "a project indicator's actuals come with the project's progress reports",
                      slug="project-indicator")
    revision = await _revision(session, indicator_id, body)
    resolved = resolve_actual(dict(indicator), "", body.value, body.numerator, body.denominator, body.note)
    row = {
        "actual_id": str(uuid.uuid4()),
        "indicator_id": indicator_id,
        "fiscal_year": body.fiscal_year,
        "quarter": body.quarter,
        "revision": revision,
        "revision_reason": body.revision_reason if revision > 1 else None,
        **resolved,
        "evidence": [e.model_dump(mode="json") for e in body.evidence],
        "submitted_by": submitted_by,
        "submitted_at": utcnow(),
    }
    await session.execute(indicator_actuals.insert().values(**row))
    return render(row)


async def latest_actuals(
    session: AsyncSession, indicator_ids: list[str], fiscal_year: int, last_quarter: int
) -> dict[str, tuple[Decimal | None, int, dict[str, Any]]]:
    """indicator_id -> (value, quarter, row) of its latest actual in the year up to ``last_quarter``."""
    if not indicator_ids:
        return {}
    rows = (await session.execute(
        select(indicator_actuals)
        .where(indicator_actuals.c.indicator_id.in_(indicator_ids),
               indicator_actuals.c.fiscal_year == fiscal_year,
               indicator_actuals.c.quarter <= last_quarter)
        .order_by(indicator_actuals.c.quarter, indicator_actuals.c.revision))).mappings().all()
    out: dict[str, tuple[Decimal | None, int, dict[str, Any]]] = {}
    for row in rows:  # ascending: the last one seen is the latest quarter's latest revision
        value = Decimal(row["value"]) if row["value"] is not None else None
        out[row["indicator_id"]] = (value, row["quarter"], dict(row))
    return out
