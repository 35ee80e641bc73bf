"""The oversight and operators' pages: the audit log (filter by who, what and when; the chain's
verification), the bodies with their members and rules (an operator changes an office, adds or
removes a member), and the workflow definitions."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.gateway_client import ApiProblem
from console.api.deps import gateway_for, locale_of, problem_page, render, session_of
from console.api.i18n import translations
from console.api.session import Session, csrf_ok
from console.application import audit_log, bodies_page, workflows_page
from console.domain.audit_view import (
    ACTIONS, DateNotUnderstood, acting_as, format_moment, parse_typed_date, subject_of, typed_text,
)

router = APIRouter(include_in_schema=False)

OPERATOR = "operator"
# Who reads the audit log (the gateway's rule for /api/v1/audit) and who else reads bodies and workflows.
AUDIT_READERS = (OPERATOR, "secretariat")
ROSTER_READERS = (*AUDIT_READERS, "body_member")
Typed = Annotated[str, Query(max_length=40)]


def _text(request: Request, message: str) -> str:
    return translations(locale_of(request)).gettext(message)


def _refusal(request: Request, session: Session, readers: tuple[str, ...]) -> Response | None:
    """Sign in first; then only the roles the page is for (others get a refusal, not the page)."""
    if session.user is None:
        return RedirectResponse(f"/auth/signin?next={request.url.path}", status_code=303)
    if any(role in readers for role in session.user.roles):
        return None
    detail = ("The audit log is read by operators and the secretariat." if readers == AUDIT_READERS
              else "The bodies and the workflows are read by operators, the secretariat and the bodies' members.")
    return problem_page(request, session, ApiProblem(403, _text(request, "Not a page for your account"),
                                                     _text(request, detail)))


def _operator(session: Session) -> bool:
    return session.user is not None and OPERATOR in session.user.roles


def _expired(request: Request, session: Session, csrf: str) -> ApiProblem | None:
    if csrf_ok(session, csrf):
        return None
    return ApiProblem(403, _text(request, "Form expired"), _text(request, "Reload the page and submit the form again."))


@router.get("/oversight", response_class=HTMLResponse)
async def oversight(request: Request) -> Response:
    session = session_of(request)
    refused = _refusal(request, session, ROSTER_READERS)
    if refused:
        return refused
    assert session.user is not None
    reads_audit = any(role in AUDIT_READERS for role in session.user.roles)
    return RedirectResponse("/oversight/audit" if reads_audit else "/oversight/bodies", status_code=303)


def _audit_helpers(request: Request) -> dict[str, object]:
    locale = locale_of(request)
    return {"actions": ACTIONS, "page_sizes": audit_log.PAGE_SIZES, "filter_keys": ("who", "what", "since", "until", "per"), "moment": lambda value: format_moment(value, locale), "subject_of": subject_of,
            "acting_as": acting_as, "system_actors": audit_log.SYSTEM_ACTORS}


@router.get("/oversight/audit", response_class=HTMLResponse)
async def show_audit(
    request: Request, who: Typed = "", what: Typed = "", since: Typed = "", until: Typed = "",
    cursor: Annotated[str | None, Query(max_length=200)] = None, verify: Annotated[str, Query(max_length=5)] = "",
    per: Annotated[str, Query(max_length=5)] = "",
) -> Response:
    session = session_of(request)
    refused = _refusal(request, session, AUDIT_READERS)
    if refused:
        return refused
    assert session.user is not None
    per_page = int(per) if per.isdigit() and int(per) in audit_log.PAGE_SIZES else audit_log.PAGE_SIZE
    typed = {"who": who, "what": what, "since": since, "until": until, "per": str(per_page)}
    problem = None
    try:
        first, last = parse_typed_date(since), parse_typed_date(until)
    except DateNotUnderstood as bad:
        first = last = None
        problem = ApiProblem(422, _text(request, "Date not understood"),
                             _text(request, "Type a date as day/month/year of the Buddhist Era, e.g. %(example)s.")
                             % {"example": "2/12/2569"} + f" ({bad})")
    if problem is None and first and last and first > last:
        problem = ApiProblem(422, _text(request, "Dates in the wrong order"),
                             _text(request, "The first day comes after the last day."))
    if problem is not None:
        return render(request, "oversight_audit.html", session, status=problem.status, view=None, problem=problem,
                      typed=typed, **_audit_helpers(request))
    # The form shows back the days it understood, in the Buddhist Era.
    typed.update(since=typed_text(first) if first else "", until=typed_text(last) if last else "")
    query = audit_log.ReadAudit(who or None, what or None, first, last, cursor, verify == "1", per_page)
    try:
        view = await audit_log.handle(query, gateway_for(request, session), (session.user.subject, session.user.name))
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "oversight_audit.html", session, view=view, problem=None, typed=typed, cursor=cursor,
                  **_audit_helpers(request))


@router.get("/oversight/bodies", response_class=HTMLResponse)
async def show_bodies(request: Request) -> Response:
    session = session_of(request)
    refused = _refusal(request, session, ROSTER_READERS)
    if refused:
        return refused
    try:
        bodies = await bodies_page.all_bodies(gateway_for(request, session))
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "oversight_bodies.html", session, bodies=bodies, operator=_operator(session))


async def _body(request: Request, session: Session, code: str, *, status: int = 200,
                problem: ApiProblem | None = None, form: dict[str, str] | None = None) -> Response:
    try:
        body = await bodies_page.one_body(gateway_for(request, session), code)
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "oversight_body.html", session, status=status, b=body, operator=_operator(session),
                  problem=problem, form=form or {}, offices=bodies_page.OFFICES,
                  idempotency_key=(form or {}).get("idempotency_key") or secrets.token_urlsafe(16))


@router.get("/oversight/bodies/{code}", response_class=HTMLResponse)
async def show_body(code: str, request: Request) -> Response:
    session = session_of(request)
    refused = _refusal(request, session, ROSTER_READERS)
    return refused or await _body(request, session, code)


@router.get("/oversight/bodies/{code}/members")
async def members_again(code: str) -> RedirectResponse:
    """Where the add form posts: asked again by GET (the language switch returns here), the body."""
    return RedirectResponse(f"/oversight/bodies/{code}", status_code=303)


@router.post("/oversight/bodies/{code}/members", response_class=HTMLResponse)
async def add_member(
    code: str, request: Request, csrf: Annotated[str, Form()] = "",
    subject: Annotated[str, Form(max_length=200)] = "", name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "member", idempotency_key: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    session = session_of(request)
    refused = _refusal(request, session, ROSTER_READERS)
    if refused:
        return refused
    form = {"subject": subject, "name": name, "role": role, "idempotency_key": idempotency_key}
    problem = _expired(request, session, csrf)
    if problem is None:
        try:
            await bodies_page.add_member(
                bodies_page.AddMember(code, subject, name, role, idempotency_key or secrets.token_urlsafe(16)),
                gateway_for(request, session),
            )
            return RedirectResponse(f"/oversight/bodies/{code}?added=1", status_code=303)
        except ApiProblem as refused_by_api:
            problem = refused_by_api
    return await _body(request, session, code, status=problem.status, problem=problem, form=form)


async def _member(request: Request, session: Session, code: str, subject: str, *, status: int = 200,
                  problem: ApiProblem | None = None, form: dict[str, str] | None = None) -> Response:
    try:
        record = await bodies_page.member_record(gateway_for(request, session), code, subject)
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "oversight_member.html", session, status=status, record=record,
                  operator=_operator(session), problem=problem, form=form or {}, offices=bodies_page.OFFICES)


@router.get("/oversight/bodies/{code}/members/{subject}", response_class=HTMLResponse)
async def show_member(code: str, subject: str, request: Request) -> Response:
    session = session_of(request)
    refused = _refusal(request, session, ROSTER_READERS)
    return refused or await _member(request, session, code, subject)


@router.post("/oversight/bodies/{code}/members/{subject}", response_class=HTMLResponse)
async def change_member(
    code: str, subject: str, request: Request, csrf: Annotated[str, Form()] = "",
    etag: Annotated[str, Form(max_length=200)] = "", role: Annotated[str, Form(max_length=20)] = "",
    remove: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    session = session_of(request)
    refused = _refusal(request, session, ROSTER_READERS)
    if refused:
        return refused
    form = {"role": role}
    problem = _expired(request, session, csrf)
    if problem is None:
        # "Remove" keeps the office as it is and ends the membership; "Save" changes the office.
        command = (bodies_page.ChangeMember(code, subject, etag, active=False) if remove == "1"
                   else bodies_page.ChangeMember(code, subject, etag, role=role or None))
        try:
            await bodies_page.change_member(command, gateway_for(request, session))
            done = "removed" if remove == "1" else "changed"
            return RedirectResponse(f"/oversight/bodies/{code}?{done}=1", status_code=303)
        except ApiProblem as refused_by_api:
            problem = refused_by_api
    # Shown again with the record as it now stands (a 412 means it moved: its new ETag is in the form).
    return await _member(request, session, code, subject, status=problem.status, problem=problem, form=form)


@router.get("/oversight/workflows", response_class=HTMLResponse)
async def show_workflows(request: Request) -> Response:
    session = session_of(request)
    refused = _refusal(request, session, ROSTER_READERS)
    if refused:
        return refused
    try:
        view = await workflows_page.handle(gateway_for(request, session))
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "oversight_workflows.html", session, view=view)
