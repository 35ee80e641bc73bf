"""/api/v1/screening: rounds, requests, decisions, package, close, status, results."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from budget_ledger.api.deps import Caller, IdempotencyKey, IfMatch, MaybeCaller, RuntimeDep, read
from budget_ledger.api.presenters import history_json, published_round_json, ranking_json, request_json, round_json
from budget_ledger.api.schemas import CloseIn, CriteriaIn, DecisionIn, PackageIn, RequestIn, RoundOpenIn, ScoresIn, payload
from budget_ledger.application import (
    close_round,
    open_round,
    ranking,
    record_decision,
    revise_request,
    screening_queries,
    screening_status,
    submit_package,
    submit_request,
)
from budget_ledger.application.access import SUBCOMMITTEE, agency_scope, require_oversight, require_reader, require_scorer
from budget_ledger.application.etags import request_etag, round_etag
from budget_ledger.domain.ranking import Criterion
from budget_ledger.domain.screening import DECISIONS, UNSCREENED, Meeting, RoundStatus
from dgplan_contracts.fiscal import FiscalYear
from dgplan_contracts.identity import AGENCY, SECRETARIAT, Principal, require_body_office, require_role
from dgplan_shared.openapi_conventions import IF_MATCH_OPTIONAL
from dgplan_shared.commands import json_response, run_command
from dgplan_shared.errors import not_found
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.pagination import Cursor
from dgplan_shared.web.url_guards import refuse_bad_text_in_url

Limit = Annotated[int, Query(ge=1, le=1000)]
STATUSES = tuple(s.value for s in RoundStatus)


def _round_headers(body: dict[str, Any]) -> dict[str, str]:
    return {"Location": f"/api/v1/screening/rounds/{body['round_id']}", "ETag": round_etag(body)}


def _request_headers(body: dict[str, Any]) -> dict[str, str]:
    return {"Location": f"/api/v1/screening/requests/{body['request_id']}", "ETag": request_etag(body)}


def _request_rights(principal: Principal, request_row: Any) -> None:
    scope = agency_scope(principal)
    if scope is not None and request_row["agency"] != scope:
        raise not_found("screening request", request_row["request_id"])


def router() -> APIRouter:
    r = APIRouter(
        prefix="/api/v1/screening", tags=["screening"], responses=PROBLEM_RESPONSES,
        dependencies=[Depends(refuse_bad_text_in_url)],
    )

    @r.post(
        "/rounds", status_code=201, summary="Open a screening round (secretariat)",
        description=(
            "One regular round per plan and fiscal year, with no exception (there is no supplementary "
            "round): a second opening for the same plan and year is refused with 409 "
            "`urn:dgplan:problem:round-exists` naming the existing `round_id`, and a database constraint "
            "holds the rule against concurrent openings. The submission deadline must still be ahead "
            "(422 `urn:dgplan:problem:submission-deadline-in-the-past`, field `submission_deadline`) and "
            "the decision deadline after it; the fiscal year must be one of the plan's."
        ),
    )
    async def open_(body: RoundOpenIn, request: Request, principal: Caller, idempotency_key: IdempotencyKey = None) -> Response:
        require_role(principal, SECRETARIAT)
        command = open_round.OpenRound(
            body.plan_id, body.fiscal_year, body.ceiling, body.submission_deadline, body.decision_deadline, body.title,
            opened_by=principal.subject,
        )
        return await run_command(
            request, open_round.handle, command, status=201, present=round_json, headers=_round_headers,
            idempotency_key=idempotency_key, payload=payload(body), subject=principal.subject, require_key=True,
        )

    @r.get("/rounds", summary="Screening rounds")
    async def rounds(
        runtime: RuntimeDep,
        principal: Caller,
        fiscal_year: Annotated[FiscalYear | None, Query()] = None,
        plan_id: str | None = None,
        status: Literal[STATUSES] | None = None,  # type: ignore[valid-type]
        limit: Limit = 100,
        cursor: Cursor = None,
    ) -> Response:
        require_reader(principal)
        query = screening_queries.ListRounds({"fiscal_year": fiscal_year, "plan_id": plan_id, "status": status}, limit, cursor)
        page = await read(runtime, screening_queries.list_rounds, query)
        return json_response({"items": [round_json(row) for row in page.items], "next_cursor": page.next_cursor})

    @r.get("/published-rounds", summary="Closed rounds whose results are published (public: where to find them)")
    async def published_rounds(
        runtime: RuntimeDep, plan_id: Annotated[str | None, Query(max_length=64)] = None, limit: Limit = 100,
        cursor: Cursor = None,
    ) -> Response:
        filters = {"plan_id": plan_id, "status": "closed", "published": True}
        page = await read(runtime, screening_queries.list_rounds, screening_queries.ListRounds(filters, limit, cursor))
        return json_response({"items": [published_round_json(row) for row in page.items], "next_cursor": page.next_cursor})

    @r.get("/rounds/{round_id}", summary="One round")
    async def round_(round_id: str, runtime: RuntimeDep, principal: Caller) -> Response:
        require_reader(principal)
        row = await read(runtime, screening_queries.get_round, screening_queries.GetRound(round_id))
        return json_response(round_json(row), headers={"ETag": round_etag(row)})

    @r.post("/rounds/{round_id}/requests", status_code=201, summary="Submit a budget request (the project's lead agency)")
    async def submit(
        round_id: str, body: RequestIn, request: Request, principal: Caller, idempotency_key: IdempotencyKey = None
    ) -> Response:
        require_role(principal, AGENCY)
        command = submit_request.SubmitRequest(
            round_id=round_id,
            project_id=body.project_id,
            amounts={c.value: a for c, a in body.amounts.items()},
            justification=body.justification,
            priority=body.priority,
            multi_year=body.multi_year,
            alignment=body.alignment.model_dump() if body.alignment else {},
            principal=principal,
        )
        return await run_command(
            request, submit_request.handle, command, status=201, present=request_json, headers=_request_headers,
            idempotency_key=idempotency_key, payload=payload(body), subject=principal.subject, require_key=True,
        )

    @r.get("/rounds/{round_id}/requests", summary="A round's requests: filter by decision, strategy, agency, project")
    async def requests(
        round_id: str,
        runtime: RuntimeDep,
        principal: Caller,
        decision: Literal[(*DECISIONS, UNSCREENED)] | None = None,  # type: ignore[valid-type]
        strategy_id: str | None = None,
        agency: str | None = None,
        project_id: str | None = None,
        sort: Literal[screening_queries.SORTS] = "rank",  # type: ignore[valid-type]
        limit: Limit = 100,
        cursor: Cursor = None,
    ) -> Response:
        require_reader(principal)
        scope = agency_scope(principal)
        if scope is not None:
            agency = scope
        filters = {"decision": decision, "strategy_id": strategy_id, "agency": agency, "project_id": project_id}
        # Oversight readers see each request's place in the priority ranking; an agency does not.
        query = screening_queries.ListRequests(round_id, filters, sort, limit, cursor, with_ranking=scope is None)
        page = await read(runtime, screening_queries.list_requests, query)
        return json_response({"items": [request_json(row) for row in page.items], "next_cursor": page.next_cursor})

    @r.get("/requests/{request_id}", summary="One request with its full history and reasons")
    async def request_(request_id: str, runtime: RuntimeDep, principal: Caller) -> Response:
        require_reader(principal)
        found = await read(runtime, screening_queries.get_request,
                           screening_queries.GetRequest(request_id, with_ranking=agency_scope(principal) is None))
        _request_rights(principal, found.request)
        body = {**request_json(found.request), "history": history_json(found.history)}
        return json_response(body, headers={"ETag": request_etag(found.request)})

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
        command = revise_request.ReviseRequest(
            request_id, {c.value: a for c, a in body.amounts.items()}, body.justification, if_match, principal
        )
        return await run_command(
            request, revise_request.handle, command, status=200, present=request_json,
            headers=lambda b: {"ETag": request_etag(b)},
            idempotency_key=idempotency_key, payload={**payload(body), "if_match": if_match},
            subject=principal.subject, require_key=True,
        )

    @r.post(
        "/requests/{request_id}/decisions",
        status_code=201,
        summary="Record the subcommittee's decision on a request",
        description=(
            "The decision is the subcommittee's: only its chair or secretary records it, as the resolution of "
            "the named meeting (a plain member gets 403). A meeting dated after today is refused (422). "
            "Recording a decision again replaces it; the replaced one stays in the request's history."
        ),
    )
    async def decide(
        request_id: str, body: DecisionIn, request: Request, principal: Caller, idempotency_key: IdempotencyKey = None
    ) -> Response:
        require_body_office(principal, SUBCOMMITTEE)
        command = record_decision.RecordDecision(
            request_id=request_id,
            decision=body.decision,
            reason=body.reason,
            meeting=Meeting(body.meeting.title, body.meeting.held_on, body.meeting.resolution),
            rank=body.rank,
            recommended_amounts={c.value: a for c, a in body.recommended_amounts.items()} if body.recommended_amounts else None,
            decided_by=principal.subject,
        )
        return await run_command(
            request, record_decision.handle, command, status=201, present=request_json,
            headers=lambda b: {"ETag": request_etag(b)},
            idempotency_key=idempotency_key, payload=payload(body), subject=principal.subject, require_key=True,
        )

    @r.post(
        "/rounds/{round_id}/package",
        status_code=201,
        summary="Hand the screened package to the committee",
        description="The subcommittee's act, so its chair or secretary submits the package (a plain member gets 403).",
    )
    async def package(
        round_id: str, request: Request, principal: Caller, body: PackageIn | None = None, idempotency_key: IdempotencyKey = None
    ) -> Response:
        require_body_office(principal, SUBCOMMITTEE)
        note = body.note if body else None
        return await run_command(
            request, submit_package.handle, submit_package.SubmitPackage(round_id, principal.subject, note), status=201,
            present=round_json, idempotency_key=idempotency_key, payload={"note": note}, subject=principal.subject,
            require_key=True,
        )

    @r.post("/rounds/{round_id}/close", summary="Close an approved round and (by default) publish its results",
            openapi_extra=IF_MATCH_OPTIONAL)
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
        command = close_round.CloseRound(round_id, principal.subject, publish, if_match)
        return await run_command(
            request, close_round.handle, command, status=200, present=round_json,
            idempotency_key=idempotency_key, payload={"publish_results": publish, "if_match": if_match},
            subject=principal.subject, require_key=True,
        )

    @r.put(
        "/rounds/{round_id}/ranking/criteria",
        summary="Set the round's priority ranking criteria (secretariat)",
        description=(
            "Replaces the round's whole set of criteria (code, Thai and English name, weight, and the plan target "
            "a criterion measures against, if any). Weights are relative: a request's weighted score is "
            "Σ weight·score / Σ weight, scores being 0–100. A criterion left out of the set takes its scores with "
            "it. Only while the round is open (409 `urn:dgplan:problem:round-not-open`); once the committee "
            "approved the package, its ranking is frozen (409 `urn:dgplan:problem:ranking-frozen`). Answers the "
            "ranking as `GET …/ranking` does."
        ),
    )
    async def put_criteria(round_id: str, body: CriteriaIn, request: Request, principal: Caller) -> Response:
        require_role(principal, SECRETARIAT)
        criteria = tuple(Criterion(c.code, c.weight, c.name.th, c.name.en, c.target) for c in body.criteria)
        command = ranking.PutCriteria(round_id, criteria, principal.subject)
        return await run_command(request, ranking.put_criteria, command, status=200, present=ranking_json)

    @r.put(
        "/rounds/{round_id}/ranking/scores",
        summary="Score requests on the ranking criteria (secretariat, or the subcommittee's chair or secretary)",
        description=(
            "Each item sets one request's score (0–100, at most two places) on one criterion, with its reason; "
            "scores not listed stay as they are, so repeating a call changes nothing. Refused whole (nothing "
            "written) when an item names a request of another round (422 `urn:dgplan:problem:request-not-in-round`), "
            "a criterion the round does not have (422 `urn:dgplan:problem:unknown-criterion`) or the same pair "
            "twice. The same 409s as the criteria."
        ),
    )
    async def put_scores(round_id: str, body: ScoresIn, request: Request, principal: Caller) -> Response:
        require_scorer(principal)
        scores = tuple(ranking.Score(s.request_id, s.criterion, s.score, s.reason) for s in body.scores)
        command = ranking.PutScores(round_id, scores, principal.subject)
        return await run_command(request, ranking.put_scores, command, status=200, present=ranking_json)

    @r.get(
        "/rounds/{round_id}/ranking",
        summary="The round's priority ranking and its cut line under the ceiling",
        description=(
            "Every request in rank order (highest weighted score first; ties by the agency's priority, then the "
            "request id) with its scores and reasons, the amount it takes from the ceiling (recommended once "
            "recommended, nothing once deferred, rejected or returned, the requested total while undecided), the "
            "cumulative amount, and whether it is above the cut line: the longest run of requests from rank 1 "
            "whose amounts fit under the ceiling. Computed live while the round is open; frozen once the "
            "committee approved the package (`status` `approved`). `status` `none`: the round has no criteria."
        ),
    )
    async def ranking_(
        round_id: str, runtime: RuntimeDep, principal: Caller, limit: Limit = 1000, cursor: Cursor = None
    ) -> Response:
        require_oversight(principal)
        view = await read(runtime, ranking.get_ranking, ranking.GetRanking(round_id, limit, cursor))
        return json_response(ranking_json(view))

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
        filters = {"strategy_id": strategy_id, "agency": agency, "project_id": project_id}
        query = screening_status.RoundStatusQuery(round_id, filters)
        return json_response(await read(runtime, screening_status.round_status, query))

    @r.get("/rounds/{round_id}/status/{dimension}", summary="Screening status per strategy, agency or project")
    async def status_by(
        round_id: str,
        dimension: Literal[tuple(screening_status.DIMENSIONS)],  # type: ignore[valid-type]
        runtime: RuntimeDep,
        principal: Caller,
        limit: Limit = 100,
        cursor: Cursor = None,
    ) -> Response:
        require_oversight(principal)
        query = screening_status.GroupedStatus(round_id, dimension, limit, cursor)
        return json_response(await read(runtime, screening_status.grouped_status, query))

    @r.get("/rounds/{round_id}/results", summary="A closed round's published results (public once published)")
    async def results(
        round_id: str, runtime: RuntimeDep, principal: MaybeCaller, limit: Limit = 100, cursor: Cursor = None
    ) -> Response:
        found = await read(runtime, screening_status.results, screening_status.Results(round_id, principal, limit, cursor))
        fields = ("request_id", "project_id", "strategy_id", "agency", "decision", "rank", "requested_total",
                  "recommended_total", "approved_total")
        return json_response(
            {
                "round": round_json(found.round),
                "summary": found.summary,
                "items": [{k: item[k] for k in fields} for item in map(request_json, found.requests)],
                "next_cursor": found.next_cursor,
            }
        )

    return r
