"""The secretariat's plan work: the plans and their versions, drafting a new version, a version's
completeness and nodes, a node's form (names, budget, agency roles; If-Match of the node shown),
submitting the draft, and the observations with a form to answer each. Everyone signed in may read
the redline between two versions (``/plans/{id}/diff``) as far as the registry lets them."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.gateway_client import ApiProblem
from console.application import (
    answer_observation, draft_version, edit_node, observations_page, plan_versions, submit_draft, version_diff,
    version_page,
)
from console.api.deps import gateway_for, problem_page, render, session_of
from console.api.session import Session, csrf_ok
from console.domain.node_form import changed_fields, node_patch
from console.domain.redline import ROLE_NAMES

router = APIRouter(include_in_schema=False)

SECRETARIAT = "secretariat"
Key = Annotated[str, Form(max_length=200)]
Name = Annotated[str, Form(max_length=2000)]
Money = Annotated[str, Form(max_length=40)]
_EXPIRED = ApiProblem(403, "Form expired", "Reload the page and submit the form again.")
_NOT_SECRETARIAT = ApiProblem(
    403, "For the secretariat only",
    "Drafting, editing and submitting plan versions and answering observations are the secretariat's work; "
    "your account does not hold the secretariat's role.",
)


def _sign_in_first(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/auth/signin?next={request.url.path}", status_code=303)


def _refused(request: Request, session: Session) -> Response | None:
    """Signed in as the secretariat, or the page says who may use it (no controls at all)."""
    if session.user is None:
        return _sign_in_first(request)
    if SECRETARIAT not in session.user.roles:
        return problem_page(request, session, _NOT_SECRETARIAT)
    return None


def _key(typed: str) -> str:
    return typed or secrets.token_urlsafe(16)


# --- the plans and their versions ------------------------------------------------------------

async def _plans(request: Request, session: Session, *, status: int = 200, problem: ApiProblem | None = None,
                 idempotency_key: str | None = None) -> Response:
    try:
        plans = await plan_versions.handle(gateway_for(request, session))
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "secretariat_plans.html", session, status=status, plans=plans, problem=problem,
                  idempotency_key=idempotency_key or secrets.token_urlsafe(16))


@router.get("/secretariat", response_class=HTMLResponse)
async def show_plans(request: Request) -> Response:
    session = session_of(request)
    return _refused(request, session) or await _plans(request, session)


@router.post("/secretariat/plans/{plan_id}/versions", response_class=HTMLResponse)
async def draft(plan_id: str, request: Request, csrf: Annotated[str, Form()] = "",
                based_on_version_id: Annotated[str, Form(max_length=64)] = "", idempotency_key: Key = "") -> Response:
    session = session_of(request)
    if (refused := _refused(request, session)) is not None:
        return refused
    if not csrf_ok(session, csrf):
        return await _plans(request, session, status=403, problem=_EXPIRED, idempotency_key=idempotency_key)
    try:
        created = await draft_version.handle(
            draft_version.DraftVersion(plan_id, based_on_version_id or None, _key(idempotency_key)),
            gateway_for(request, session),
        )
    except ApiProblem as problem:
        return await _plans(request, session, status=problem.status, problem=problem, idempotency_key=idempotency_key)
    return RedirectResponse(f"/secretariat/plans/{plan_id}/versions/{created['id']}?drafted=1", status_code=303)


# --- one version: completeness, nodes, submit ------------------------------------------------

async def _version(request: Request, session: Session, plan_id: str, version_id: str, *, status: int = 200,
                   problem: ApiProblem | None = None) -> Response:
    try:
        view = await version_page.handle(plan_id, version_id, gateway_for(request, session))
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "secretariat_version.html", session, status=status, view=view, problem=problem)


@router.get("/secretariat/plans/{plan_id}/versions/{version_id}", response_class=HTMLResponse)
async def show_version(plan_id: str, version_id: str, request: Request) -> Response:
    session = session_of(request)
    return _refused(request, session) or await _version(request, session, plan_id, version_id)


@router.post("/secretariat/plans/{plan_id}/versions/{version_id}/submit", response_class=HTMLResponse)
async def submit(plan_id: str, version_id: str, request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    session = session_of(request)
    if (refused := _refused(request, session)) is not None:
        return refused
    if not csrf_ok(session, csrf):
        return await _version(request, session, plan_id, version_id, status=403, problem=_EXPIRED)
    try:
        await submit_draft.handle(plan_id, version_id, gateway_for(request, session))
    except ApiProblem as problem:
        return await _version(request, session, plan_id, version_id, status=problem.status, problem=problem)
    return RedirectResponse(f"/secretariat/plans/{plan_id}/versions/{version_id}?submitted=1", status_code=303)


# --- a node's form ---------------------------------------------------------------------------

async def _node(request: Request, session: Session, plan_id: str, version_id: str, node_id: str, *,
                status: int = 200, problem: ApiProblem | None = None, form: dict[str, str] | None = None) -> Response:
    try:
        view = await edit_node.show(plan_id, version_id, node_id, gateway_for(request, session))
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "secretariat_node.html", session, status=status, view=view, problem=problem,
                  form=form or {}, role_names=ROLE_NAMES,
                  idempotency_key=(form or {}).get("idempotency_key") or secrets.token_urlsafe(16))


@router.get("/secretariat/plans/{plan_id}/versions/{version_id}/nodes/{node_id}", response_class=HTMLResponse)
async def show_node(plan_id: str, version_id: str, node_id: str, request: Request) -> Response:
    session = session_of(request)
    return _refused(request, session) or await _node(request, session, plan_id, version_id, node_id)


@router.post("/secretariat/plans/{plan_id}/versions/{version_id}/nodes/{node_id}", response_class=HTMLResponse)
async def change_node(
    plan_id: str, version_id: str, node_id: str, request: Request, csrf: Annotated[str, Form()] = "",
    if_match: Annotated[str, Form(max_length=200)] = "", name_th: Name = "", name_en: Name = "",
    budget_framework: Money = "", was_name_th: Name = "", was_name_en: Name = "", was_budget_framework: Money = "",
    remove_role: Annotated[list[str] | None, Form()] = None,
) -> Response:
    session = session_of(request)
    if (refused := _refused(request, session)) is not None:
        return refused
    typed = {"name_th": name_th, "name_en": name_en, "budget_framework": budget_framework}
    shown = {"name_th": was_name_th, "name_en": was_name_en, "budget_framework": was_budget_framework}
    # Shown again after a refusal: the person's own changes over the node as it now is.
    keep = changed_fields(shown, typed)
    if not csrf_ok(session, csrf):
        return await _node(request, session, plan_id, version_id, node_id, status=403, problem=_EXPIRED, form=keep)
    gateway = gateway_for(request, session)
    try:
        current = await edit_node.show(plan_id, version_id, node_id, gateway)
        patch = node_patch(shown, typed, current.node.get("roles") or [], remove_role or [])
        if patch:
            # If-Match is the ETag of the node the person saw: changed meanwhile, the registry's 412.
            await edit_node.change(edit_node.ChangeNode(plan_id, version_id, node_id, patch, if_match), gateway)
    except ApiProblem as problem:
        return await _node(request, session, plan_id, version_id, node_id, status=problem.status, problem=problem,
                           form=keep)
    return RedirectResponse(f"/secretariat/plans/{plan_id}/versions/{version_id}/nodes/{node_id}?saved=1",
                            status_code=303)


@router.post("/secretariat/plans/{plan_id}/versions/{version_id}/nodes/{node_id}/roles", response_class=HTMLResponse)
async def add_role(
    plan_id: str, version_id: str, node_id: str, request: Request, csrf: Annotated[str, Form()] = "",
    agency: Annotated[str, Form(max_length=40)] = "", role: Annotated[str, Form(max_length=20)] = "",
    idempotency_key: Key = "",
) -> Response:
    session = session_of(request)
    if (refused := _refused(request, session)) is not None:
        return refused
    form = {"agency": agency, "role": role, "idempotency_key": idempotency_key}
    if not csrf_ok(session, csrf):
        return await _node(request, session, plan_id, version_id, node_id, status=403, problem=_EXPIRED, form=form)
    try:
        await edit_node.add_role(
            edit_node.AddRole(plan_id, version_id, node_id, agency, role, _key(idempotency_key)),
            gateway_for(request, session),
        )
    except ApiProblem as problem:
        return await _node(request, session, plan_id, version_id, node_id, status=problem.status, problem=problem,
                           form=form)
    return RedirectResponse(f"/secretariat/plans/{plan_id}/versions/{version_id}/nodes/{node_id}?role=1",
                            status_code=303)


# --- observations and their answers ----------------------------------------------------------

async def _observations(request: Request, session: Session, plan_id: str, *, status: int = 200,
                        problem: ApiProblem | None = None, failed: str | None = None,
                        form: dict[str, str] | None = None) -> Response:
    try:
        plan, by_version = await observations_page.handle(plan_id, gateway_for(request, session))
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "secretariat_observations.html", session, status=status, plan=plan,
                  by_version=by_version, problem=problem, failed=failed, form=form or {},
                  new_key=lambda: secrets.token_urlsafe(16))


@router.get("/secretariat/plans/{plan_id}/observations", response_class=HTMLResponse)
async def show_observations(plan_id: str, request: Request) -> Response:
    session = session_of(request)
    return _refused(request, session) or await _observations(request, session, plan_id)


@router.post("/secretariat/plans/{plan_id}/observations/{observation_id}/answer", response_class=HTMLResponse)
async def answer(
    plan_id: str, observation_id: str, request: Request, csrf: Annotated[str, Form()] = "",
    answer_th: Annotated[str, Form(max_length=20000)] = "", answer_en: Annotated[str, Form(max_length=20000)] = "",
    idempotency_key: Key = "",
) -> Response:
    session = session_of(request)
    if (refused := _refused(request, session)) is not None:
        return refused
    form = {"answer_th": answer_th, "answer_en": answer_en, "idempotency_key": idempotency_key}
    if not csrf_ok(session, csrf):
        return await _observations(request, session, plan_id, status=403, problem=_EXPIRED, failed=observation_id,
                                   form=form)
    try:
        await answer_observation.handle(
            answer_observation.AnswerObservation(observation_id, answer_th, answer_en, _key(idempotency_key)),
            gateway_for(request, session),
        )
    except ApiProblem as problem:
        return await _observations(request, session, plan_id, status=problem.status, problem=problem,
                                   failed=observation_id, form=form)
    return RedirectResponse(f"/secretariat/plans/{plan_id}/observations?answered={observation_id}#o-{observation_id}",
                            status_code=303)


# --- the redline between two versions (anyone the registry lets read them) ----------------------

@router.get("/plans/{plan_id}/diff", response_class=HTMLResponse)
async def show_diff(plan_id: str, request: Request, from_: Annotated[str | None, Query(alias="from", max_length=64)] = None,
                    to: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    session = session_of(request)
    if session.user is None:
        return _sign_in_first(request)
    try:
        view = await version_diff.handle(plan_id, from_, to, gateway_for(request, session))
    except ApiProblem as failure:
        return problem_page(request, session, failure)
    return render(request, "plan_diff.html", session, view=view, plan_id=plan_id,
                  works=SECRETARIAT in session.user.roles)
