"""/api/v1/budget/open-data: the budget as a Fiscal Data Package, for anyone to download."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Response

from budget_ledger.api import fiscal_package
from budget_ledger.api.deps import MaybeCaller, RuntimeDep, read
from budget_ledger.application import open_budget
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.url_guards import refuse_bad_text_in_url

ZIP = "application/zip"


def router() -> APIRouter:
    r = APIRouter(
        prefix="/api/v1/budget/open-data", tags=["budget"], responses=PROBLEM_RESPONSES,
        dependencies=[Depends(refuse_bad_text_in_url)],
    )

    @r.get(
        "/fiscal-data-package",
        summary="The plan's budget as a zipped Fiscal Data Package (frameworks, rounds, budget lines per stage)",
        responses={200: {
            "description": "A zip: datapackage.json (Data Package v2 with Fiscal Data Package modelling) and CSV files",
            "content": {ZIP: {"schema": {"type": "string", "format": "binary"}}},
            "headers": {"Content-Disposition": {"schema": {"type": "string"},
                                                "description": "attachment; filename=\"<plan code>-budget-<audience>.zip\""}},
        }},
    )
    async def fiscal_data_package(
        runtime: RuntimeDep,
        principal: MaybeCaller,
        plan_id: Annotated[str, Query(min_length=1, max_length=64)],
    ) -> Response:
        """Anyone gets the frameworks and the published rounds' requested, recommended and approved
        money; the secretariat, operators, bodies' members and services also get rounds under way
        and execution (allocated, committed, disbursed). The descriptor's ``dgplan.audience`` says which."""
        budget = await read(runtime, open_budget.handle, open_budget.OpenBudgetQuery(plan_id, principal))
        package = fiscal_package.build(budget)
        disposition = f"attachment; filename=\"{package.filename}\"; filename*=UTF-8''{quote(package.filename)}"
        # What a caller gets depends on its token and changes with every posting: never a shared cache's.
        return Response(package.content, media_type=ZIP, headers={
            "Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-cache", "Vary": "Authorization",
        })

    return r
