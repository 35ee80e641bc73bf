"""The screening subcommittee's pages (the rounds, a round's board, one request with its history),
the chair's or secretary's decision and package forms, and the spreadsheet downloads, passed on
from the API with the person's token."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.gateway_client import ApiProblem
from console.application import screening_board, screening_decide, screening_open_round
from console.api.amount_fields import AmountsForm
from console.api.deps import gateway_for, problem_page, render, session_of
from console.api.session import Session, csrf_ok
from console.domain.funnel import DECISIONS, EXPENSE_CATEGORIES

router = APIRouter(include_in_schema=False)

SECRETARIAT = "secretariat"
OVERSIGHT = (SECRETARIAT, "body_member", "operator")
EXPORTS = {"requests": "requests", "status": "status"}
Text = Annotated[str, Form(max_length=5000)]
Short = Annotated[str, Form(max_length=300)]


def sign_in_first(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/auth/signin?next={request.url.path}", status_code=303)


def oversees(session: Session) -> bool:
    return session.user is not None and any(r in OVERSIGHT for r in session.user.roles)


def _expired(session: Session, csrf: str) -> ApiProblem | None:
    if csrf_ok(session, csrf):
        return None
    return ApiProblem(403, "Form expired", "Reload the page and submit the form again.")


@router.get("/screening", response_class=HTMLResponse)
async def show_rounds(request: Request) -> Response:
    session = session_of(request)
    if session.user is None:
        return sign_in_first(request)
    if not oversees(session):
        return RedirectResponse("/agency", status_code=303)
    try:
        found = await screening_board.rounds(gateway_for(request, session))
    except ApiProblem as problem:
        return problem_page(request, session, problem)
    return render(request, "screening_rounds.html", session, rounds=found,
                  opens=session.user is not None and SECRETARIAT in session.user.roles)


def _secretariat_only(request: Request, session: Session) -> Response | None:
    if session.user is None:
        return sign_in_first(request)
    if SECRETARIAT not in session.user.roles:
        return problem_page(request, session, ApiProblem(
            403, "Only the secretariat opens a screening round",
            "Your account does not hold the secretariat's role, so it cannot open a round."))
    return None


async def _round_form(request: Request, session: Session, *, status: int = 200, problem: ApiProblem | None = None,
                      form: dict[str, str] | None = None) -> Response:
    try:
        plans = await screening_open_round.plans(gateway_for(request, session))
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "screening_round_new.html", session, status=status, plans=plans, problem=problem,
                  form=form or {}, idempotency_key=(form or {}).get("idempotency_key") or secrets.token_urlsafe(16))


# Declared before /screening/rounds/{round_id}, which would otherwise take "new" for a round id.
@router.get("/screening/rounds/new", response_class=HTMLResponse)
async def new_round(request: Request) -> Response:
    session = session_of(request)
    refused = _secretariat_only(request, session)
    return refused or await _round_form(request, session)


@router.get("/screening/rounds")
async def rounds_form_again(request: Request) -> RedirectResponse:
    """Where the opening form posts: asked again by GET (the language switch returns here), the form."""
    return RedirectResponse("/screening/rounds/new", status_code=303)


@router.post("/screening/rounds", response_class=HTMLResponse)
async def open_round(
    request: Request, csrf: Annotated[str, Form()] = "", plan_id: Annotated[str, Form(max_length=64)] = "",
    fiscal_year: Annotated[str, Form(max_length=20)] = "", title: Annotated[str, Form(max_length=500)] = "",
    ceiling: Annotated[str, Form(max_length=40)] = "", submission_deadline: Annotated[str, Form(max_length=40)] = "",
    decision_deadline: Annotated[str, Form(max_length=40)] = "", idempotency_key: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    session = session_of(request)
    refused = _secretariat_only(request, session)
    if refused:
        return refused
    form = {"plan_id": plan_id, "fiscal_year": fiscal_year, "title": title, "ceiling": ceiling,
            "submission_deadline": submission_deadline, "decision_deadline": decision_deadline,
            "idempotency_key": idempotency_key}
    problem = _expired(session, csrf)
    if problem is None:
        try:
            opened = await screening_open_round.open_round(
                screening_open_round.OpenRound(plan_id, fiscal_year, title, ceiling, submission_deadline,
                                               decision_deadline, idempotency_key or secrets.token_urlsafe(16)),
                gateway_for(request, session),
            )
            return RedirectResponse(f"/screening/rounds/{opened['round_id']}?opened=1", status_code=303)
        except ApiProblem as refused_by_api:
            problem = refused_by_api
    return await _round_form(request, session, status=problem.status, problem=problem, form=form)


async def _board(request: Request, session: Session, round_id: str, *, status: int = 200,
                 problem: ApiProblem | None = None, form: dict[str, str] | None = None,
                 filters: dict[str, str] | None = None, sort: str = "rank", cursor: str | None = None) -> Response:
    assert session.user is not None
    try:
        view = await screening_board.board(
            screening_board.ShowBoard(round_id, session.user.subject, filters or {}, sort, cursor),
            gateway_for(request, session),
        )
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "screening_board.html", session, status=status, view=view, problem=problem,
                  form=form or {}, decisions=DECISIONS, sorts=screening_board.SORTS,
                  idempotency_key=(form or {}).get("idempotency_key") or secrets.token_urlsafe(16))


@router.get("/screening/rounds/{round_id}", response_class=HTMLResponse)
async def show_board(
    round_id: str, request: Request,
    decision: Annotated[str, Query(max_length=40)] = "", strategy_id: Annotated[str, Query(max_length=64)] = "",
    agency: Annotated[str, Query(max_length=50)] = "", sort: Annotated[str, Query(max_length=40)] = "rank",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    session = session_of(request)
    if session.user is None:
        return sign_in_first(request)
    if not oversees(session):
        return RedirectResponse("/agency", status_code=303)  # an agency sees its own requests only
    filters = {"decision": decision, "strategy_id": strategy_id, "agency": agency}
    return await _board(request, session, round_id, filters=filters, sort=sort, cursor=cursor)


@router.post("/screening/rounds/{round_id}/package", response_class=HTMLResponse)
async def submit_package(
    round_id: str, request: Request, csrf: Annotated[str, Form()] = "", note: Text = "",
    idempotency_key: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    session = session_of(request)
    if session.user is None:
        return sign_in_first(request)
    form = {"note": note, "idempotency_key": idempotency_key}
    problem = _expired(session, csrf)
    if problem is None:
        try:
            await screening_decide.submit_package(
                screening_decide.SubmitPackage(round_id, note, idempotency_key or secrets.token_urlsafe(16)),
                gateway_for(request, session),
            )
            return RedirectResponse(f"/screening/rounds/{round_id}?submitted=1", status_code=303)
        except ApiProblem as refused:
            problem = refused
    return await _board(request, session, round_id, status=problem.status, problem=problem, form=form)


@router.get("/screening/rounds/{round_id}/exports/{kind}")
async def download(
    round_id: str, kind: str, request: Request,
    format: Annotated[str, Query(pattern="^(xlsx|csv)$")] = "xlsx",
    table: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The ledger's spreadsheet, fetched with the person's token (never a link to the API itself)."""
    session = session_of(request)
    if session.user is None:
        return sign_in_first(request)
    if kind not in EXPORTS:
        return problem_page(request, session, ApiProblem(404, "No such download", f"There is no '{kind}' export."))
    lang = request.cookies.get("dgplan_lang") or "th"
    params: dict[str, Any] = {"format": format, "lang": "en" if lang == "en" else "th"}
    if table and kind == "status":
        params["table"] = table
    try:
        found = await gateway_for(request, session).download(
            f"/api/v1/screening/rounds/{round_id}/exports/{EXPORTS[kind]}", params)
    except ApiProblem as problem:
        return problem_page(request, session, problem)
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if found.disposition:
        headers["Content-Disposition"] = found.disposition
    return Response(found.content, media_type=found.media_type, headers=headers)


async def request_view(request: Request, session: Session, request_id: str, *, status: int = 200,
                   problem: ApiProblem | None = None, form: dict[str, str] | None = None) -> Response:
    assert session.user is not None
    try:
        view = await screening_board.request_page(
            screening_board.ShowRequest(request_id, session.user.subject, oversees(session), session.user.name),
            gateway_for(request, session),
        )
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "screening_request.html", session, status=status, view=view, problem=problem,
                  form=form or {}, decisions=DECISIONS, categories=EXPENSE_CATEGORIES, oversight=oversees(session),
                  idempotency_key=(form or {}).get("idempotency_key") or secrets.token_urlsafe(16))


@router.get("/screening/requests/{request_id}", response_class=HTMLResponse)
async def show_request(request_id: str, request: Request) -> Response:
    session = session_of(request)
    if session.user is None:
        return sign_in_first(request)
    return await request_view(request, session, request_id)


@router.post("/screening/requests/{request_id}/decision", response_class=HTMLResponse)
async def decide(
    request_id: str, request: Request, amounts: AmountsForm, csrf: Annotated[str, Form()] = "",
    decision: Annotated[str, Form(max_length=40)] = "", reason: Text = "", rank: Annotated[str, Form(max_length=20)] = "",
    meeting_title: Short = "", held_on: Annotated[str, Form(max_length=20)] = "",
    resolution: Annotated[str, Form(max_length=100)] = "",
    idempotency_key: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    session = session_of(request)
    if session.user is None:
        return sign_in_first(request)
    form = {"decision": decision, "reason": reason, "rank": rank, "meeting_title": meeting_title, "held_on": held_on,
            "resolution": resolution, "idempotency_key": idempotency_key, **amounts.typed}
    problem = _expired(session, csrf)
    if problem is None:
        try:
            command = screening_decide.RecordDecision(
                request_id, decision, reason, meeting_title, held_on, resolution, rank, amounts.amounts,
                idempotency_key or secrets.token_urlsafe(16),
            )
            await screening_decide.record(command, gateway_for(request, session))
            return RedirectResponse(f"/screening/requests/{request_id}?decided=1", status_code=303)
        except ApiProblem as refused:
            problem = refused
    return await request_view(request, session, request_id, status=problem.status, problem=problem, form=form)
