"""Agency staff's monitoring pages: a project's progress (evaluation, indicators, the quarterly reports
submitted so far and the form to report a quarter) and my agency's evaluations."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.gateway_client import ApiProblem
from console.api.deps import gateway_for, problem_page, render, session_of
from console.api.screening import sign_in_first
from console.api.session import Session, csrf_ok
from console.application import agency_evaluations, project_progress
from console.domain.report_form import ReportForm, correction_form

router = APIRouter(include_in_schema=False)

# A type=date field sends an ISO day; anything longer is not one.
AsOf = Annotated[str | None, Query(max_length=10)]


async def _project_page(request: Request, session: Session, project_id: str, *, as_of: str | None = None,
                        correct: str | None = None, status: int = 200, problem: ApiProblem | None = None,
                        form: dict[str, str] | None = None) -> Response:
    try:
        view = await project_progress.handle(
            project_progress.ShowProject(project_id, session.user.agency if session.user else None, as_of or None),
            gateway_for(request, session))
    except ApiProblem as failure:
        # After a refused report, that refusal is what the person needs to read, not the page's.
        return problem_page(request, session, problem or failure)
    if form is None and (corrected := view.current_report(correct)) is not None:
        form = correction_form(corrected)
    return render(request, "agency_project.html", session, status=status, view=view, problem=problem,
                  form=form or {}, as_of=as_of or "",
                  idempotency_key=(form or {}).get("idempotency_key") or secrets.token_urlsafe(16))


@router.get("/agency/projects/{project_id}", response_class=HTMLResponse)
async def show_project(project_id: str, request: Request, as_of: AsOf = None,
                       correct: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    session = session_of(request)
    if session.user is None:
        return sign_in_first(request)
    return await _project_page(request, session, project_id, as_of=as_of, correct=correct)


@router.post("/agency/projects/{project_id}/reports", response_class=HTMLResponse)
async def submit_report(project_id: str, request: Request, csrf: Annotated[str, Form()] = "",
                        idempotency_key: Annotated[str, Form(max_length=200)] = "") -> Response:
    session = session_of(request)
    if session.user is None:
        return sign_in_first(request)
    gateway = gateway_for(request, session)
    try:
        indicator_ids = await project_progress.indicator_ids(gateway, project_id)
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    typed = ReportForm.read(await request.form(), indicator_ids)
    form = {**typed.typed, "idempotency_key": idempotency_key}
    if not csrf_ok(session, csrf):
        problem = ApiProblem(403, "Form expired", "Reload the page and submit the form again.")
        return await _project_page(request, session, project_id, status=403, problem=problem, form=form)
    try:
        await project_progress.submit(
            project_progress.SubmitReport(project_id, typed, indicator_ids,
                                          idempotency_key or secrets.token_urlsafe(16)), gateway)
    except ApiProblem as problem:
        return await _project_page(request, session, project_id, status=problem.status, problem=problem, form=form)
    return RedirectResponse(f"/agency/projects/{project_progress.segment(project_id)}?reported=1#reports-h",
                            status_code=303)


@router.get("/agency/evaluations", response_class=HTMLResponse)
async def show_evaluations(request: Request, as_of: AsOf = None) -> Response:
    session = session_of(request)
    if session.user is None:
        return sign_in_first(request)
    try:
        view = await agency_evaluations.handle(
            agency_evaluations.ShowEvaluations(session.user.agency, as_of or None), gateway_for(request, session))
    except ApiProblem as problem:
        return problem_page(request, session, problem)
    return render(request, "agency_evaluations.html", session, view=view, as_of=as_of or "")
