"""Replace an indicator's definition, guarded by the ETag the caller read (secretariat)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dgplan_contracts.identity import SECRETARIAT, Principal, require_role
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError
from dgplan_shared.web.etags import require_if_match, version_etag
from monitoring.adapters.repositories import repositories
from monitoring.application.create_indicator import current_view, stored_targets, stored_values, validated
from monitoring.domain.indicators import IndicatorDefinition


def indicator_etag(indicator_id: str, version: int) -> str:
    return version_etag("indicator", indicator_id, version)


@dataclass(frozen=True)
class ReplaceIndicator:
    principal: Principal
    indicator_id: str
    definition: IndicatorDefinition
    if_match: str | None


async def handle(command: ReplaceIndicator, uow: UnitOfWork) -> dict[str, Any]:
    require_role(command.principal, SECRETARIAT)
    repos = repositories(uow)
    current = await current_view(repos, command.indicator_id)
    require_if_match(command.if_match, indicator_etag(command.indicator_id, current["version"]), "indicator")
    await validated(repos, command.definition, other_than=command.indicator_id)
    version = current["version"]
    if not await repos.indicators.update_if_version(
        command.indicator_id, version, {"version": version + 1, "updated_at": utcnow(),
                                        **stored_values(command.definition)}):
        # changed between our read and our write
        raise ProblemError(412, "precondition-failed", "Resource changed", "The indicator changed; read it again.")
    await repos.indicators.replace_targets(command.indicator_id, stored_targets(command.definition))
    return await current_view(repos, command.indicator_id)
