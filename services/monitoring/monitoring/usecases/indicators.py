"""Create, change and show indicators (KPIs). Managed by the secretariat."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dgplan_shared.db.types import utcnow
from dgplan_contracts.identity import Principal
from dgplan_shared.problems import ProblemError, conflict, invalid, not_found
from monitoring.api.schemas import IndicatorIn
from monitoring.db.tables import indicator_targets, indicators, rm_plan_targets, rm_projects, rm_strategies
from monitoring.usecases.project_visibility import indicator_scope

_LINKED = {
    "project": (rm_projects, rm_projects.c.project_id),
    "strategy": (rm_strategies, rm_strategies.c.strategy_id),
    "plan_target": (rm_plan_targets, rm_plan_targets.c.target_id),
}


def _num(value: Decimal | None) -> str | None:
    # Canonical decimal text: 80.00 and 80 are the same target.
    return None if value is None else format(value.normalize(), "f")


async def _validate(session: AsyncSession, body: IndicatorIn) -> None:
    table, key = _LINKED[body.link.type]
    if (await session.execute(select(key).where(key == body.link.id))).first() is None:
        raise invalid("link.id", f"no {body.link.type.replace('_', ' ')} {body.link.id} is known to monitoring",
                      slug="unknown-link")
    years = [t.fiscal_year for t in body.targets]
    if len(years) != len(set(years)):
        raise invalid("targets", "one target per fiscal year")
    if body.measure_type == "qualitative" and (body.targets or body.formula or body.baseline is not None):
        raise invalid("measure_type", "a qualitative indicator has no numeric baseline, targets or formula")
    if body.measure_type == "percent":
        for i, target in enumerate(body.targets):
            if not 0 <= target.target <= 100:
                raise invalid(f"targets.{i}.target", "a percentage must be between 0 and 100")
        if body.baseline is not None and not 0 <= body.baseline <= 100:
            raise invalid("baseline", "a percentage must be between 0 and 100")
    if body.formula is not None and body.formula.factor == 0:
        raise invalid("formula.factor", "must not be zero")


def _values(body: IndicatorIn) -> dict[str, Any]:
    return {
        "code": body.code,
        "name_th": body.name.th,
        "name_en": body.name.en,
        "unit": body.unit,
        "measure_type": body.measure_type,
        "direction": body.direction,
        "formula": None if body.formula is None else {
            "numerator": body.formula.numerator,
            "denominator": body.formula.denominator,
            "factor": _num(body.formula.factor),
        },
        "baseline": _num(body.baseline),
        "baseline_year": body.baseline_year,
        "frequency": body.frequency,
        "source": body.source,
        "link_type": body.link.type,
        "link_id": body.link.id,
    }


async def _code_taken(session: AsyncSession, code: str, other_than: str | None = None) -> bool:
    query = select(indicators.c.indicator_id).where(indicators.c.code == code)
    if other_than:
        query = query.where(indicators.c.indicator_id != other_than)
    return (await session.execute(query)).first() is not None


async def _write_targets(session: AsyncSession, indicator_id: str, body: IndicatorIn) -> None:
    await session.execute(delete(indicator_targets).where(indicator_targets.c.indicator_id == indicator_id))
    for target in body.targets:
        await session.execute(indicator_targets.insert().values(
            indicator_id=indicator_id, fiscal_year=target.fiscal_year, target=_num(target.target)))


async def create_indicator(session: AsyncSession, body: IndicatorIn) -> dict[str, Any]:
    await _validate(session, body)
    if await _code_taken(session, body.code):
        raise conflict("indicator-code-taken", f"An indicator with code {body.code} exists already.")
    indicator_id = str(uuid.uuid4())
    now = utcnow()
    await session.execute(indicators.insert().values(
        indicator_id=indicator_id, version=1, created_at=now, updated_at=now, **_values(body)))
    await _write_targets(session, indicator_id, body)
    return await indicator_view(session, indicator_id)


async def replace_indicator(session: AsyncSession, indicator_id: str, body: IndicatorIn, version: int) -> dict[str, Any]:
    await _validate(session, body)
    if await _code_taken(session, body.code, other_than=indicator_id):
        raise conflict("indicator-code-taken", f"An indicator with code {body.code} exists already.")
    result = await session.execute(
        update(indicators)
        .where(indicators.c.indicator_id == indicator_id, indicators.c.version == version)
        .values(version=version + 1, updated_at=utcnow(), **_values(body))
    )
    if result.rowcount != 1:  # changed between our read and our write
        raise ProblemError(412, "precondition-failed", "Resource changed", "The indicator changed; read it again.")
    await _write_targets(session, indicator_id, body)
    return await indicator_view(session, indicator_id)


def render(row: dict[str, Any], targets: list[tuple[int, str]]) -> dict[str, Any]:
    return {
        "indicator_id": row["indicator_id"],
        "code": row["code"],
        "name": {"th": row["name_th"], "en": row["name_en"]},
        "unit": row["unit"],
        "measure_type": row["measure_type"],
        "direction": row["direction"],
        "formula": row["formula"],
        "baseline": row["baseline"],
        "baseline_year": row["baseline_year"],
        "targets": [{"fiscal_year": fy, "target": value} for fy, value in sorted(targets)],
        "frequency": row["frequency"],
        "source": row["source"],
        "link": {"type": row["link_type"], "id": row["link_id"]},
        "version": row["version"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


async def indicator_view(session: AsyncSession, indicator_id: str) -> dict[str, Any]:
    row = (await session.execute(select(indicators).where(indicators.c.indicator_id == indicator_id))).mappings().first()
    if row is None:
        raise not_found("indicator", indicator_id)
    targets = (await session.execute(
        select(indicator_targets.c.fiscal_year, indicator_targets.c.target)
        .where(indicator_targets.c.indicator_id == indicator_id))).all()
    return render(dict(row), [tuple(t) for t in targets])


async def visible_indicator_view(session: AsyncSession, principal: Principal | None, indicator_id: str) -> dict[str, Any]:
    """The indicator, or 404 when it measures a project the caller may not see: its link would
    name another agency's unapproved proposal."""
    view = await indicator_view(session, indicator_id)
    link = view["link"]
    if link["type"] == "project" and not (await indicator_scope(session, principal)).shows(link["id"]):
        raise not_found("indicator", indicator_id)
    return view
