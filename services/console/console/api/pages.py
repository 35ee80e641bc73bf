"""Public pages: the approved plan."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from console.adapters.gateway_client import ApiProblem
from console.application import plan_page
from console.api.deps import gateway_for, local_path, locale_of, problem_page, render, session_of
from console.api.session import LANG_COOKIE
from console.domain.chart import bar_chart
from console.domain.formatting import format_million_baht
from console.api.i18n import LOCALES, pick

router = APIRouter(include_in_schema=False)

Search = Annotated[str, Query(max_length=200)]


async def _plan(request: Request, plan_id: str | None, q: str) -> HTMLResponse:
    session = session_of(request)
    try:
        view = await plan_page.handle(plan_page.ShowPlan(plan_id, q), gateway_for(request, session))
    except ApiProblem as problem:
        return problem_page(request, session, problem)
    locale = locale_of(request)
    rows = [
        (f"{s.node.get('code')} {pick(s.node.get('name'), locale)}", s.budget or Decimal(0),
         format_million_baht(s.budget or Decimal(0), locale))
        for s in view.strategies
    ]
    return render(request, "plan.html", session, view=view, chart=bar_chart(rows))


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, q: Search = "") -> HTMLResponse:
    return await _plan(request, None, q)


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
async def plan(request: Request, plan_id: str, q: Search = "") -> HTMLResponse:
    return await _plan(request, plan_id, q)


@router.get("/lang/{code}")
async def switch_language(code: str, request: Request, next: str | None = None) -> RedirectResponse:
    """A link, not a form: choosing a language changes nothing but this browser's cookie."""
    response = RedirectResponse(local_path(next), status_code=303)
    if code in LOCALES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, httponly=True, samesite="lax", path="/")
    return response
