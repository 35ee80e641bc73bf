"""/api/v1/budget: postings (single and batch), entries, balances, frameworks and reconciliation."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from budget_ledger.api.auth import agency_scope, require_reader
from budget_ledger.api.commands import Finishing, execute_idempotent, json_response
from budget_ledger.api.schemas import BatchIn, FrameworkImportIn, PostingIn, payload
from budget_ledger.domain.stages import STAGES, ExpenseCategory
from budget_ledger.ledger.queries import GROUP_LEVELS, balances, get_entry, list_entries
from budget_ledger.use_cases.frameworks import PlanFramework, StrategyFramework, import_frameworks
from budget_ledger.use_cases.post_budget_entries import EntryCommand, post_budget_entries
from budget_ledger.use_cases.reconciliation import reconcile
from dgplan_contracts.identity import AGENCY, SECRETARIAT, SERVICE, Principal, forbidden, require_role
from dgplan_shared.problems import PROBLEM_RESPONSES, invalid, not_found
from dgplan_shared.service import Runtime
from budget_ledger.api.deps import caller, refuse_nul, runtime_of

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
Caller = Annotated[Principal, Depends(caller)]
RuntimeDep = Annotated[Runtime, Depends(runtime_of)]


def _command(p: PostingIn) -> EntryCommand:
    return EntryCommand(p.project_id, p.fiscal_year, p.expense_category.value, p.stage, p.amount, p.reference, p.note)


def router() -> APIRouter:
    r = APIRouter(prefix="/api/v1/budget", tags=["budget"], responses=PROBLEM_RESPONSES, dependencies=[Depends(refuse_nul)])

    @r.post("/postings", status_code=201, summary="Post one allocation, commitment or disbursement")
    async def post_one(body: PostingIn, request: Request, principal: Caller, idempotency_key: IdempotencyKey = None) -> Response:
        require_role(principal, AGENCY, SECRETARIAT, SERVICE)

        async def action(uow):  # type: ignore[no-untyped-def]
            posted = await post_budget_entries(uow, [_command(body)], principal)
            return Finishing(posted.entries[0], posted.finish)

        return await execute_idempotent(request, principal, idempotency_key, payload(body), action)

    @r.post("/postings/batch", status_code=201, summary="Post many entries atomically (all or none)")
    async def post_batch(body: BatchIn, request: Request, principal: Caller, idempotency_key: IdempotencyKey = None) -> Response:
        require_role(principal, AGENCY, SECRETARIAT, SERVICE)

        async def action(uow):  # type: ignore[no-untyped-def]
            posted = await post_budget_entries(uow, [_command(p) for p in body.entries], principal, field_prefix="entries.")
            return Finishing({"items": posted.entries, "count": len(posted.entries)}, posted.finish)

        return await execute_idempotent(request, principal, idempotency_key, payload(body), action)

    @r.get("/entries", summary="Ledger entries, oldest first (or newest with order=desc)")
    async def entries(
        runtime: RuntimeDep,
        principal: Caller,
        project_id: str | None = None,
        plan_id: str | None = None,
        strategy_id: str | None = None,
        fiscal_year: Annotated[int | None, Query(ge=2500, le=2700)] = None,
        expense_category: ExpenseCategory | None = None,
        stage: Literal[STAGES] | None = None,  # type: ignore[valid-type]
        round_id: str | None = None,
        request_id: str | None = None,
        agency: str | None = None,
        order: Literal["asc", "desc"] = "asc",
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        cursor: Annotated[str | None, Query(max_length=100)] = None,
    ) -> Response:
        require_reader(principal)
        agency = _scoped_agency(principal, agency)
        filters = {
            "project_id": project_id,
            "plan_id": plan_id,
            "strategy_id": strategy_id,
            "fiscal_year": fiscal_year,
            "expense_category": expense_category.value if expense_category else None,
            "stage": stage,
            "round_id": round_id,
            "request_id": request_id,
            "agency": agency,
        }
        async with runtime.db.session() as session:
            return json_response(await list_entries(session, filters, limit, cursor, order == "desc"))

    @r.get("/entries/{entry_id}", summary="One ledger entry")
    async def entry(entry_id: str, runtime: RuntimeDep, principal: Caller) -> Response:
        require_reader(principal)
        async with runtime.db.session() as session:
            found = await get_entry(session, entry_id)
        if found is None:
            raise not_found("ledger entry", entry_id)
        scope = agency_scope(principal)
        if scope is not None and found["agency"] != scope:
            raise not_found("ledger entry", entry_id)  # another agency's entry does not exist for this caller
        return json_response(found)

    @r.get("/balances", summary="Balances per stage, grouped by plan, strategy, project, fiscal year, category or agency")
    async def balance_report(
        runtime: RuntimeDep,
        principal: Caller,
        group_by: Annotated[str, Query(max_length=200, description=f"comma-separated: {', '.join(GROUP_LEVELS)}")] = "plan",
        plan_id: str | None = None,
        strategy_id: str | None = None,
        project_id: str | None = None,
        fiscal_year: Annotated[int | None, Query(ge=2500, le=2700)] = None,
        expense_category: ExpenseCategory | None = None,
        agency: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        cursor: Annotated[str | None, Query(max_length=100)] = None,
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
        async with runtime.db.session() as session:
            return json_response(await balances(session, levels, filters, limit, cursor))

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
        async def action(uow):  # type: ignore[no-untyped-def]
            return await import_frameworks(uow, framework, principal.subject)

        return await execute_idempotent(request, principal, idempotency_key, payload(body), action)

    @r.get("/frameworks/{plan_id}/reconciliation", summary="Do the strategies add up to the plan, to the satang?")
    async def reconciliation(plan_id: str, runtime: RuntimeDep) -> Response:
        # Budget frameworks are published plan figures: readable by anyone.
        async with runtime.db.session() as session:
            return json_response(await reconcile(session, plan_id))

    return r


def _scoped_agency(principal: Principal, requested: str | None) -> str | None:
    scope = agency_scope(principal)
    if scope is None:
        return requested
    if requested is not None and requested != scope:
        raise forbidden("An agency sees only its own agency's money.")
    return scope
