"""Agency staff's pages: my agency's projects and its requests in the open rounds, the budget
request form, and the revision of a request the subcommittee returned."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.gateway_client import ApiProblem
from console.application import agency_requests
from console.api.amount_fields import AmountsForm
from console.api.deps import gateway_for, problem_page, render, session_of
from console.api.screening import request_view, sign_in_first
from console.api.session import Session, csrf_ok
from console.domain.funnel import EXPENSE_CATEGORIES

router = APIRouter(include_in_schema=False)


@router.get("/agency", response_class=HTMLResponse)
async def show_agency(request: Request) -> Response:
    session = session_of(request)
    if session.user is None:
        return sign_in_first(request)
    try:
        view = await agency_requests.handle(agency_requests.ShowAgency(session.user.agency),
                                            gateway_for(request, session))
    except ApiProblem as problem:
        return problem_page(request, session, problem)
    return render(request, "agency.html", session, view=view)


async def _form(request: Request, session: Session, round_id: str, project_id: str, *, status: int = 200,
                problem: ApiProblem | None = None, form: dict[str, str] | None = None) -> Response:
    gateway = gateway_for(request, session)
    try:
        round_ = await gateway.get(f"/api/v1/screening/rounds/{round_id}")
        project = await gateway.get(f"/api/v1/projects/{project_id}")
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "agency_request_form.html", session, status=status, round=round_, project=project,
                  problem=problem, form=form or {}, categories=EXPENSE_CATEGORIES,
                  idempotency_key=(form or {}).get("idempotency_key") or secrets.token_urlsafe(16))


@router.get("/agency/rounds/{round_id}/projects/{project_id}", response_class=HTMLResponse)
async def new_request(round_id: str, project_id: str, request: Request) -> Response:
    session = session_of(request)
    if session.user is None:
        return sign_in_first(request)
    return await _form(request, session, round_id, project_id)


@router.post("/agency/rounds/{round_id}/projects/{project_id}", response_class=HTMLResponse)
async def submit_request(
    round_id: str, project_id: str, request: Request, amounts: AmountsForm, csrf: Annotated[str, Form()] = "",
    justification: Annotated[str, Form(max_length=5000)] = "", priority: Annotated[str, Form(max_length=20)] = "",
    idempotency_key: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    session = session_of(request)
    if session.user is None:
        return sign_in_first(request)
    form = {"justification": justification, "priority": priority, "idempotency_key": idempotency_key, **amounts.typed}
    if not csrf_ok(session, csrf):
        problem = ApiProblem(403, "Form expired", "Reload the page and submit the form again.")
        return await _form(request, session, round_id, project_id, status=403, problem=problem, form=form)
    try:
        created = await agency_requests.submit(
            agency_requests.SubmitRequest(round_id, project_id, amounts.amounts, justification, priority,
                                          idempotency_key or secrets.token_urlsafe(16)),
            gateway_for(request, session),
        )
    except ApiProblem as problem:
        return await _form(request, session, round_id, project_id, status=problem.status, problem=problem, form=form)
    return RedirectResponse(f"/screening/requests/{created['request_id']}?submitted=1", status_code=303)


@router.post("/agency/requests/{request_id}/revision", response_class=HTMLResponse)
async def revise_request(
    request_id: str, request: Request, amounts: AmountsForm, csrf: Annotated[str, Form()] = "",
    project_id: Annotated[str, Form(max_length=64)] = "", if_match: Annotated[str, Form(max_length=200)] = "",
    justification: Annotated[str, Form(max_length=5000)] = "",
    idempotency_key: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    session = session_of(request)
    if session.user is None:
        return sign_in_first(request)
    form = {"justification": justification, "idempotency_key": idempotency_key, **amounts.typed}
    if not csrf_ok(session, csrf):
        problem = ApiProblem(403, "Form expired", "Reload the page and submit the form again.")
        return await request_view(request, session, request_id, status=403, problem=problem, form=form)
    try:
        await agency_requests.revise(
            agency_requests.ReviseRequest(request_id, project_id, amounts.amounts, justification, if_match,
                                          idempotency_key or secrets.token_urlsafe(16)),
            gateway_for(request, session),
        )
    except ApiProblem as problem:
        return await request_view(request, session, request_id, status=problem.status, problem=problem, form=form)
    return RedirectResponse(f"/screening/requests/{request_id}?revised=1", status_code=303)
