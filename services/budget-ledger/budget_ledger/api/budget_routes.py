"""/api/v1/budget: postings (single and batch), entries, balances, frameworks and reconciliation."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from budget_ledger.api.deps import Caller, IdempotencyKey, RuntimeDep, read
from budget_ledger.api.presenters import entry_json, posted_entry_json
from budget_ledger.api.schemas import BatchIn, FrameworkImportIn, PostingIn, payload
from budget_ledger.application import ledger_queries, post_entries, reconciliation
from budget_ledger.application.access import agency_scope, require_reader
from budget_ledger.application.frameworks import ImportFrameworks, import_frameworks
from budget_ledger.application.ledger_queries import GROUP_LEVELS, Balances, GetEntry, ListEntries
from budget_ledger.application.post_entries import EntryCommand, PostEntries
from budget_ledger.domain.frameworks import PlanFramework, StrategyFramework
from budget_ledger.domain.stages import STAGES, ExpenseCategory
from dgplan_contracts.fiscal import FiscalYear
from dgplan_contracts.identity import AGENCY, SECRETARIAT, SERVICE, Principal, forbidden, require_role
from dgplan_shared.commands import json_response, run_command
from dgplan_shared.errors import invalid, not_found
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.pagination import Cursor
from dgplan_shared.web.url_guards import refuse_bad_text_in_url


def _command(p: PostingIn) -> EntryCommand:
    return EntryCommand(p.project_id, p.fiscal_year, p.expense_category.value, p.stage, p.amount, p.reference, p.note)


def router() -> APIRouter:
    r = APIRouter(
        prefix="/api/v1/budget", tags=["budget"], responses=PROBLEM_RESPONSES,
        dependencies=[Depends(refuse_bad_text_in_url)],
    )

    @r.post("/postings", status_code=201, summary="Post one allocation, commitment or disbursement")
    async def post_one(body: PostingIn, request: Request, principal: Caller, idempotency_key: IdempotencyKey = None) -> Response:
        require_role(principal, AGENCY, SECRETARIAT, SERVICE)
        return await run_command(
            request, post_entries.handle, PostEntries((_command(body),), principal), status=201,
            present=lambda entries: posted_entry_json(entries[0]),
            idempotency_key=idempotency_key, payload=payload(body), subject=principal.subject, require_key=True,
        )

    @r.post("/postings/batch", status_code=201, summary="Post many entries atomically (all or none)")
    async def post_batch(body: BatchIn, request: Request, principal: Caller, idempotency_key: IdempotencyKey = None) -> Response:
        require_role(principal, AGENCY, SECRETARIAT, SERVICE)
        command = PostEntries(tuple(_command(p) for p in body.entries), principal, field_prefix="entries.")
        return await run_command(
            request, post_entries.handle, command, status=201,
            present=lambda entries: {"items": [posted_entry_json(e) for e in entries], "count": len(entries)},
            idempotency_key=idempotency_key, payload=payload(body), subject=principal.subject, require_key=True,
        )

    @r.get("/entries", summary="Ledger entries, oldest first (or newest with order=desc)")
    async def entries(
        runtime: RuntimeDep,
        principal: Caller,
        project_id: str | None = None,
        plan_id: str | None = None,
        strategy_id: str | None = None,
        fiscal_year: Annotated[FiscalYear | None, Query()] = None,
        expense_category: ExpenseCategory | None = None,
        stage: Literal[STAGES] | None = None,  # type: ignore[valid-type]
        round_id: str | None = None,
        request_id: str | None = None,
        agency: str | None = None,
        order: Literal["asc", "desc"] = "asc",
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        cursor: Cursor = None,
    ) -> Response:
        require_reader(principal)
        filters = {
            "project_id": project_id,
            "plan_id": plan_id,
            "strategy_id": strategy_id,
            "fiscal_year": fiscal_year,
            "expense_category": expense_category.value if expense_category else None,
            "stage": stage,
            "round_id": round_id,
            "request_id": request_id,
            "agency": _scoped_agency(principal, agency),
        }
        page = await read(runtime, ledger_queries.list_entries, ListEntries(filters, limit, cursor, order == "desc"))
        return json_response({"items": [entry_json(e) for e in page.items], "next_cursor": page.next_cursor})

    @r.get("/entries/{entry_id}", summary="One ledger entry")
    async def entry(entry_id: str, runtime: RuntimeDep, principal: Caller) -> Response:
        require_reader(principal)
        found = await read(runtime, ledger_queries.get_entry, GetEntry(entry_id))
        scope = agency_scope(principal)
        # another agency's entry does not exist for this caller
        if found is None or (scope is not None and found["agency"] != scope):
            raise not_found("ledger entry", entry_id)
        return json_response(entry_json(found))

    @r.get("/balances", summary="Balances per stage, grouped by plan, strategy, project, fiscal year, category or agency")
    async def balance_report(
        runtime: RuntimeDep,
        principal: Caller,
        group_by: Annotated[str, Query(max_length=200, description=f"comma-separated: {', '.join(GROUP_LEVELS)}")] = "plan",
        plan_id: str | None = None,
        strategy_id: str | None = None,
        project_id: str | None = None,
        fiscal_year: Annotated[FiscalYear | None, Query()] = None,
        expense_category: ExpenseCategory | None = None,
        agency: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        cursor: Cursor = None,
    ) -> Response:
        require_reader(principal)
        levels = [g.strip() for g in group_by.split(",") if g.strip()]
        unknown = [g for g in levels if g not in GROUP_LEVELS]
        if unknown or len(set(levels)) != len(levels):
            raise invalid("group_by", f"use distinct values among {', '.join(GROUP_LEVELS)}")
        filters = {
            "plan_id": plan_id,
            "strategy_id": strategy_id,
            "project_id": project_id,
            "fiscal_year": fiscal_year,
            "expense_category": expense_category.value if expense_category else None,
            "agency": _scoped_agency(principal, agency),
        }
        return json_response(await read(runtime, ledger_queries.balances, Balances(levels, filters, limit, cursor)))

    @r.post("/frameworks/import", status_code=201, summary="Import a plan's budget framework (plan total and strategies)")
    async def import_framework_route(
        body: FrameworkImportIn, request: Request, principal: Caller, idempotency_key: IdempotencyKey = None
    ) -> Response:
        require_role(principal, SECRETARIAT, SERVICE)
        framework = PlanFramework(
            plan_id=body.plan_id,
            plan_code=body.plan_code,
            start_fy=body.start_fy,
            end_fy=body.end_fy,
            total=body.plan_total,
            strategies=[
                StrategyFramework(
                    strategy_id=s.strategy_id,
                    code=s.code,
                    number=s.number,
                    title=s.title.model_dump(exclude_none=True) if s.title else {},
                    amount=s.budget_framework,
                    by_fiscal_year=dict(s.fiscal_years or {}),
                )
                for s in body.strategies
            ],
        )
        return await run_command(
            request, import_frameworks, ImportFrameworks(framework, principal.subject), status=201,
            idempotency_key=idempotency_key, payload=payload(body), subject=principal.subject, require_key=True,
        )

    @r.get("/frameworks/{plan_id}/reconciliation", summary="Do the strategies add up to the plan, to the satang?")
    async def reconciliation_route(plan_id: str, runtime: RuntimeDep) -> Response:
        # Budget frameworks are published plan figures: readable by anyone.
        return json_response(await read(runtime, reconciliation.handle, reconciliation.Reconcile(plan_id)))

    return r


def _scoped_agency(principal: Principal, requested: str | None) -> str | None:
    scope = agency_scope(principal)
    if scope is None:
        return requested
    if requested is not None and requested != scope:
        raise forbidden("An agency sees only its own agency's money.")
    return scope
