"""A body member's pages: the inbox, one stage under decision, and the vote (or decision) form."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.gateway_client import ApiProblem
from console.application import cast_vote, decision_page, inbox
from console.api.deps import gateway_for, problem_page, render, session_of
from console.api.session import Session, csrf_ok

router = APIRouter(include_in_schema=False)


def _sign_in_first(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/auth/signin?next={request.url.path}", status_code=303)


@router.get("/inbox", response_class=HTMLResponse)
async def show_inbox(request: Request) -> Response:
    session = session_of(request)
    if session.user is None:
        return _sign_in_first(request)
    try:
        items = await inbox.handle(inbox.ShowInbox(datetime.now(timezone.utc)), gateway_for(request, session))
    except ApiProblem as problem:
        return problem_page(request, session, problem)
    return render(request, "inbox.html", session, items=items)


async def _decision(request: Request, session: Session, instance_id: str, *, status: int = 200,
                    problem: ApiProblem | None = None, form: dict[str, str] | None = None) -> Response:
    assert session.user is not None
    try:
        view = await decision_page.handle(
            decision_page.ShowDecision(instance_id, session.user.subject, datetime.now(timezone.utc)),
            gateway_for(request, session),
        )
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "decision.html", session, status=status, view=view, problem=problem, form=form or {},
                  idempotency_key=(form or {}).get("idempotency_key") or secrets.token_urlsafe(16))


@router.get("/inbox/{instance_id}", response_class=HTMLResponse)
async def show_decision(instance_id: str, request: Request) -> Response:
    session = session_of(request)
    if session.user is None:
        return _sign_in_first(request)
    return await _decision(request, session, instance_id)


@router.post("/inbox/{instance_id}/vote", response_class=HTMLResponse)
async def vote(
    instance_id: str,
    request: Request,
    csrf: Annotated[str, Form()] = "",
    mode: Annotated[str, Form()] = "vote",
    stage: Annotated[str, Form()] = "",
    choice: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    observations_th: Annotated[str, Form(max_length=20000)] = "",
    observations_en: Annotated[str, Form(max_length=20000)] = "",
    idempotency_key: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    session = session_of(request)
    if session.user is None:
        return _sign_in_first(request)
    form = {"choice": choice, "reason": reason, "observations_th": observations_th,
            "observations_en": observations_en, "idempotency_key": idempotency_key}
    if not csrf_ok(session, csrf):
        problem = ApiProblem(403, "Form expired", "Reload the page and submit the form again.")
        return await _decision(request, session, instance_id, status=403, problem=problem, form=form)
    try:
        command = cast_vote.CastVote(
            instance_id=instance_id, mode=mode, choice=choice, reason=reason.strip(),
            observations=cast_vote.observations_from_lines(observations_th, observations_en),
            stage=stage or None, idempotency_key=idempotency_key or secrets.token_urlsafe(16),
        )
        await cast_vote.handle(command, gateway_for(request, session))
    except ApiProblem as problem:
        return await _decision(request, session, instance_id, status=problem.status, problem=problem, form=form)
    return RedirectResponse(f"/inbox/{instance_id}?voted=1", status_code=303)
