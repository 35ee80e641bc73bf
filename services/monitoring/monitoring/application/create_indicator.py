"""Define an indicator (KPI) linked to a project, a strategy or a plan target (secretariat)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import SECRETARIAT, Principal, require_role
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict, invalid, not_found
from monitoring.adapters.repositories import Repositories, repositories
from monitoring.application.views import indicator_view
from monitoring.domain.indicators import IndicatorDefinition, check_definition, decimal_text


@dataclass(frozen=True)
class CreateIndicator:
    principal: Principal
    definition: IndicatorDefinition


def stored_values(d: IndicatorDefinition) -> dict[str, Any]:
    return {
        "code": d.code,
        "name_th": d.name_th,
        "name_en": d.name_en,
        "unit": d.unit,
        "measure_type": d.measure_type,
        "direction": d.direction,
        "formula": None if d.formula is None else {
            "numerator": d.formula.numerator,
            "denominator": d.formula.denominator,
            "factor": decimal_text(d.formula.factor),
        },
        "baseline": None if d.baseline is None else decimal_text(d.baseline),
        "baseline_year": d.baseline_year,
        "frequency": d.frequency,
        "source": d.source,
        "link_type": d.link_type,
        "link_id": d.link_id,
    }


def stored_targets(d: IndicatorDefinition) -> list[tuple[int, str]]:
    return [(fy, decimal_text(target)) for fy, target in d.targets]


async def validated(repos: Repositories, d: IndicatorDefinition, other_than: str | None = None) -> None:
    if not await repos.read_models.knows(d.link_type, d.link_id):
        raise invalid("link.id", f"no {d.link_type.replace('_', ' ')} {d.link_id} is known to monitoring",
                      slug="unknown-link")
    check_definition(d)
    if await repos.indicators.code_taken(d.code, other_than=other_than):
        raise conflict("indicator-code-taken", f"An indicator with code {d.code} exists already.")


async def current_view(repos: Repositories, indicator_id: str) -> dict[str, Any]:
    row = await repos.indicators.get(indicator_id)
    if row is None:
        raise not_found("indicator", indicator_id)
    return indicator_view(row, (await repos.indicators.targets_text([indicator_id]))[indicator_id])


async def handle(command: CreateIndicator, uow: UnitOfWork) -> dict[str, Any]:
    require_role(command.principal, SECRETARIAT)
    repos = repositories(uow)
    d = command.definition
    await validated(repos, d)
    indicator_id = str(uuid.uuid4())
    now = utcnow()
    await repos.indicators.add({"indicator_id": indicator_id, "version": 1, "created_at": now, "updated_at": now,
                                **stored_values(d)})
    await repos.indicators.replace_targets(indicator_id, stored_targets(d))
    return await current_view(repos, indicator_id)
