"""/api/v1/screening: rounds, requests, decisions, package, close, status, results."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from budget_ledger.api.auth import SUBCOMMITTEE, agency_scope, require_oversight, require_reader
from budget_ledger.api.commands import execute_idempotent, json_response
from budget_ledger.api.schemas import CloseIn, DecisionIn, PackageIn, RequestIn, RoundOpenIn, payload
from budget_ledger.domain.screening import DECISIONS, RoundStatus
from budget_ledger.screening.listing import REQUEST_SORTS, list_requests, list_rounds
from budget_ledger.screening.repository import history_json, load_request, load_round, request_json, round_json
from budget_ledger.screening.status import DIMENSIONS, grouped_status, round_status
from budget_ledger.use_cases.close_round import close_round
from budget_ledger.use_cases.open_round import OpenRound, open_round
from budget_ledger.use_cases.record_decision import RecordDecision, record_decision
from budget_ledger.use_cases.revise_request import ReviseRequest, revise_request
from budget_ledger.use_cases.submit_package import submit_package
from budget_ledger.use_cases.submit_request import SubmitRequest, submit_request
from dgplan_shared.db.types import utcnow
from dgplan_contracts.identity import AGENCY, SECRETARIAT, Principal, require_body_member, require_role
from dgplan_shared.problems import PROBLEM_RESPONSES, ProblemError, not_found
from dgplan_shared.service import Runtime
from budget_ledger.api.deps import caller, maybe_caller, refuse_nul, runtime_of

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=100)]
Caller = Annotated[Principal, Depends(caller)]
RuntimeDep = Annotated[Runtime, Depends(runtime_of)]
Limit = Annotated[int, Query(ge=1, le=1000)]
Cursor = Annotated[str | None, Query(max_length=100)]


def etag(version: int) -> str:
    return f'"v{version}"'


def _version_from_if_match(if_match: str | None, required: bool) -> int | None:
    if if_match is None:
        if required:
            raise ProblemError(428, "precondition-required", "Precondition required", "Send If-Match with the ETag you read.")
        return None
    value = if_match.strip()
    if value.startswith("W/"):
        value = value[2:]
    if value.startswith('"v') and value.endswith('"') and value[2:-1].isdigit():
        return int(value[2:-1])
    raise ProblemError(412, "precondition-failed", "Precondition failed", "If-Match does not match the current ETag.")


def _request_rights(principal: Principal, request_row) -> None:  # type: ignore[no-untyped-def]
    scope = agency_scope(principal)
    if scope is not None and request_row["agency"] != scope:
        raise not_found("screening request", request_row["request_id"])


def router() -> APIRouter:
    r = APIRouter(prefix="/api/v1/screening", tags=["screening"], responses=PROBLEM_RESPONSES, dependencies=[Depends(refuse_nul)])

    @r.post("/rounds", status_code=201, summary="Open a screening round (secretariat)")
    async def open_(body: RoundOpenIn, request: Request, principal: Caller, idempotency_key: IdempotencyKey = None) -> Response:
        require_role(principal, SECRETARIAT)
        command = OpenRound(
            body.plan_id, body.fiscal_year, body.ceiling, body.submission_deadline, body.decision_deadline, body.title
        )
        return await execute_idempotent(
            request,
            principal,
            idempotency_key,
            payload(body),
            lambda uow: open_round(uow, command, principal.subject),
            headers=lambda b: {"Location": f"/api/v1/screening/rounds/{b['round_id']}", "ETag": etag(b["version"])},
        )

    @r.get("/rounds", summary="Screening rounds")
    async def rounds(
        runtime: RuntimeDep,
        principal: Caller,
        fiscal_year: Annotated[int | None, Query(ge=2500, le=2700)] = None,
        plan_id: str | None = None,
        status: Literal["open", "package-submitted", "approved", "closed"] | None = None,
        limit: Limit = 100,
        cursor: Cursor = None,
    ) -> Response:
        require_reader(principal)
        async with runtime.db.session() as session:
            body = await list_rounds(session, {"fiscal_year": fiscal_year, "plan_id": plan_id, "status": status}, limit, cursor)
        return json_response(body)

    @r.get("/rounds/{round_id}", summary="One round")
    async def round_(round_id: str, runtime: RuntimeDep, principal: Caller) -> Response:
        require_reader(principal)
        async with runtime.db.session() as session:
            row = await load_round(session, round_id)
        return json_response(round_json(row), headers={"ETag": etag(row["version"])})

    @r.post("/rounds/{round_id}/requests", status_code=201, summary="Submit a budget request (the project's lead agency)")
    async def submit(
        round_id: str, body: RequestIn, request: Request, principal: Caller, idempotency_key: IdempotencyKey = None
    ) -> Response:
        require_role(principal, AGENCY)
        command = SubmitRequest(
            round_id=round_id,
            project_id=body.project_id,
            amounts={c.value: a for c, a in body.amounts.items()},
            justification=body.justification,
            priority=body.priority,
            multi_year=body.multi_year,
            alignment=body.alignment.model_dump() if body.alignment else {},
        )
        return await execute_idempotent(
            request,
            principal,
            idempotency_key,
            payload(body),
            lambda uow: submit_request(uow, command, principal),
            headers=lambda b: {"Location": f"/api/v1/screening/requests/{b['request_id']}", "ETag": etag(b["version"])},
        )

    @r.get("/rounds/{round_id}/requests", summary="A round's requests: filter by decision, strategy, agency, project")
    async def requests(
        round_id: str,
        runtime: RuntimeDep,
        principal: Caller,
        decision: Literal[(*DECISIONS, "unscreened")] | None = None,  # type: ignore[valid-type]
        strategy_id: str | None = None,
        agency: str | None = None,
        project_id: str | None = None,
        sort: Literal[tuple(REQUEST_SORTS)] = "rank",  # type: ignore[valid-type]
        limit: Limit = 100,
        cursor: Cursor = None,
    ) -> Response:
        require_reader(principal)
        scope = agency_scope(principal)
        if scope is not None:
            agency = scope
        async with runtime.db.session() as session:
            await load_round(session, round_id)
            filters = {"decision": decision, "strategy_id": strategy_id, "agency": agency, "project_id": project_id}
            return json_response(await list_requests(session, round_id, filters, sort, limit, cursor))

    @r.get("/requests/{request_id}", summary="One request with its full history and reasons")
    async def request_(request_id: str, runtime: RuntimeDep, principal: Caller) -> Response:
        require_reader(principal)
        async with runtime.db.session() as session:
            row = await load_request(session, request_id)
            _request_rights(principal, row)
            body = {**request_json(row), "history": await history_json(session, request_id)}
        return json_response(body, headers={"ETag": etag(row["version"])})

    @r.post("/requests/{request_id}/revision", summary="Revise a request returned for revision (lead agency; If-Match)")
    async def revise(
        request_id: str,
        body: RequestIn,
        request: Request,
        principal: Caller,
        idempotency_key: IdempotencyKey = None,
        if_match: IfMatch = None,
    ) -> Response:
        require_role(principal, AGENCY)
        version = _version_from_if_match(if_match, required=True)
        command = ReviseRequest(request_id, {c.value: a for c, a in body.amounts.items()}, body.justification, version)  # type: ignore[arg-type]
        return await execute_idempotent(
            request,
            principal,
            idempotency_key,
            {**payload(body), "if_match": version},
            lambda uow: revise_request(uow, command, principal),
            status=200,
            headers=lambda b: {"ETag": etag(b["version"])},
        )

    @r.post("/requests/{request_id}/decisions", status_code=201, summary="Record the subcommittee's decision on a request")
    async def decide(
        request_id: str, body: DecisionIn, request: Request, principal: Caller, idempotency_key: IdempotencyKey = None
    ) -> Response:
        require_body_member(principal, SUBCOMMITTEE)
        command = RecordDecision(
            request_id=request_id,
            decision=body.decision,
            reason=body.reason,
            rank=body.rank,
            recommended_amounts={c.value: a for c, a in body.recommended_amounts.items()} if body.recommended_amounts else None,
        )
        return await execute_idempotent(
            request,
            principal,
            idempotency_key,
            payload(body),
            lambda uow: record_decision(uow, command, principal.subject),
            headers=lambda b: {"ETag": etag(b["version"])},
        )

    @r.post("/rounds/{round_id}/package", status_code=201, summary="Hand the screened package to the committee")
    async def package(
        round_id: str, request: Request, principal: Caller, body: PackageIn | None = None, idempotency_key: IdempotencyKey = None
    ) -> Response:
        require_body_member(principal, SUBCOMMITTEE)
        note = body.note if body else None
        return await execute_idempotent(
            request,
            principal,
            idempotency_key,
            {"note": note},
            lambda uow: submit_package(uow, round_id, principal.subject, note),
        )

    @r.post("/rounds/{round_id}/close", summary="Close an approved round and (by default) publish its results")
    async def close(
        round_id: str,
        request: Request,
        principal: Caller,
        body: CloseIn | None = None,
        idempotency_key: IdempotencyKey = None,
        if_match: IfMatch = None,
    ) -> Response:
        require_role(principal, SECRETARIAT)
        publish = body.publish_results if body else True
        expected = _version_from_if_match(if_match, required=False)

        async def action(uow):  # type: ignore[no-untyped-def]
            if expected is not None and (await load_round(uow.session, round_id))["version"] != expected:
                raise ProblemError(412, "precondition-failed", "Precondition failed", "The round changed since you read it.")
            return await close_round(uow, round_id, principal.subject, publish)

        return await execute_idempotent(
            request, principal, idempotency_key, {"publish_results": publish, "if_match": expected}, action, status=200
        )

    @r.get("/rounds/{round_id}/status", summary="Screening status: counts and amounts per decision, unscreened, deadlines")
    async def status(
        round_id: str,
        runtime: RuntimeDep,
        principal: Caller,
        strategy_id: str | None = None,
        agency: str | None = None,
        project_id: str | None = None,
    ) -> Response:
        require_oversight(principal)
        async with runtime.db.session() as session:
            row = await load_round(session, round_id)
            filters = {"strategy_id": strategy_id, "agency": agency, "project_id": project_id}
            return json_response(await round_status(session, row, utcnow(), filters))

    @r.get("/rounds/{round_id}/status/{dimension}", summary="Screening status per strategy, agency or project")
    async def status_by(
        round_id: str,
        dimension: Literal[tuple(DIMENSIONS)],  # type: ignore[valid-type]
        runtime: RuntimeDep,
        principal: Caller,
        limit: Limit = 100,
        cursor: Cursor = None,
    ) -> Response:
        require_oversight(principal)
        async with runtime.db.session() as session:
            await load_round(session, round_id)
            return json_response(await grouped_status(session, round_id, dimension, limit, cursor))

    @r.get("/rounds/{round_id}/results", summary="A closed round's published results (public once published)")
    async def results(
        round_id: str,
        runtime: RuntimeDep,
        principal: Annotated[Principal | None, Depends(maybe_caller)],
        limit: Limit = 100,
        cursor: Cursor = None,
    ) -> Response:
        async with runtime.db.session() as session:
            row = await load_round(session, round_id)
            published = row["status"] == RoundStatus.CLOSED.value and row["published"]
            if not published:
                if principal is None:
                    raise not_found("published results of round", round_id)
                require_oversight(principal)
            summary = await round_status(session, row, utcnow(), {})
            listing = await list_requests(session, round_id, {}, "rank", limit, cursor)
        fields = ("request_id", "project_id", "strategy_id", "agency", "decision", "rank", "requested_total",
                  "recommended_total", "approved_total")
        return json_response(
            {
                "round": round_json(row),
                "summary": summary,
                "items": [{k: item[k] for k in fields} for item in listing["items"]],
                "next_cursor": listing["next_cursor"],
            }
        )

    return r
