"""Public pages beside the plan: its scorecard, its published screening results and its open data.
Anyone may open them (the API is called anonymously unless the person is signed in); no JavaScript."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.gateway_client import ApiProblem
from console.api.deps import gateway_for, locale_of, problem_page, render, session_of
from console.api.i18n import pick, translations
from console.api.screening import oversees
from console.application import open_data_page, published_results_page, scorecard_page
from console.application.public_plan import approved_plan
from console.domain.formatting import BANGKOK, format_million_baht
from console.domain.funnel import funnel
from console.domain.open_data import NoSuchDownload
from console.domain.scorecard_view import STATUS_NAMES, completeness_bars, indicator_rows, status_bars

router = APIRouter(include_in_schema=False)

FiscalYear = Annotated[int | None, Query(ge=2400, le=2700)]
PlanChoice = Annotated[str | None, Query(max_length=64)]


def _status_labels(request: Request) -> dict[str, str]:
    gettext = translations(locale_of(request)).gettext
    return {key: gettext(name) for key, name in STATUS_NAMES.items()}


@router.get("/scorecard", response_class=HTMLResponse)
async def current_scorecard(request: Request) -> Response:
    """The header's link: the scorecard of the plan ``/`` shows (the header knows no plan id)."""
    session = session_of(request)
    try:
        plan = await approved_plan(gateway_for(request, session), None)
    except ApiProblem as problem:
        return problem_page(request, session, problem)
    return RedirectResponse(f"/plans/{plan['id']}/scorecard", status_code=303)


@router.get("/plans/{plan_id}/scorecard", response_class=HTMLResponse)
async def scorecard(request: Request, plan_id: str, fiscal_year: FiscalYear = None) -> HTMLResponse:
    session = session_of(request)
    query = scorecard_page.ShowScorecard(plan_id, fiscal_year, datetime.now(BANGKOK).date())
    try:
        view = await scorecard_page.handle(query, gateway_for(request, session))
    except ApiProblem as problem:
        return problem_page(request, session, problem)
    locale = locale_of(request)
    labels = _status_labels(request)
    card = view.card
    strategies = [(s["strategy_id"], f"{s.get('code') or ''} {pick(s.get('title'), locale)}".strip(), s["completeness"])
                  for s in card.get("strategies", [])]
    return render(request, "scorecard.html", session, view=view, card=card, status_labels=labels,
                  by_status=status_bars(card.get("by_status") or {}, labels),
                  completeness=completeness_bars(strategies), indicators=indicator_rows(card))


@router.get("/plans/{plan_id}/results", response_class=HTMLResponse)
async def results(request: Request, plan_id: str) -> HTMLResponse:
    session = session_of(request)
    try:
        view = await published_results_page.index(plan_id, oversees(session), gateway_for(request, session))
    except ApiProblem as problem:
        return problem_page(request, session, problem)
    return render(request, "results.html", session, view=view)


@router.get("/plans/{plan_id}/results/{round_id}", response_class=HTMLResponse)
async def round_results(request: Request, plan_id: str, round_id: str) -> HTMLResponse:
    session = session_of(request)
    try:
        view = await published_results_page.round_results(plan_id, round_id, gateway_for(request, session))
    except ApiProblem as problem:
        return problem_page(request, session, problem)
    locale = locale_of(request)
    bars = funnel([(t.key, t.approved) for t in view.by_strategy], None)
    chart = [(pick(view.names.node(t.key), locale), bar, format_million_baht(t.approved, locale))
             for t, bar in zip(view.by_strategy, bars, strict=True)]
    return render(request, "results_round.html", session, view=view, chart=chart)


@router.get("/open-data", response_class=HTMLResponse)
async def open_data(request: Request, plan: PlanChoice = None) -> HTMLResponse:
    session = session_of(request)
    try:
        view = await open_data_page.catalogue(plan, gateway_for(request, session))
    except ApiProblem as problem:
        return problem_page(request, session, problem)
    return render(request, "open_data.html", session, view=view)


@router.get("/open-data/{plan_id}/{key}")
async def download(request: Request, plan_id: str, key: str, fiscal_year: FiscalYear = None) -> Response:
    """The API's file passed on as it came (never a link to the API itself: the console is the site
    people know, and the API may sit elsewhere)."""
    session = session_of(request)
    command = open_data_page.FetchDataset(plan_id, key, fiscal_year, locale_of(request))
    try:
        found = await open_data_page.fetch(command, gateway_for(request, session))
    except NoSuchDownload as missing:
        return problem_page(request, session, ApiProblem(404, "No such download", str(missing)))
    except ApiProblem as problem:
        return problem_page(request, session, problem)
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if found.disposition:
        headers["Content-Disposition"] = found.disposition
    return Response(found.content, media_type=found.media_type, headers=headers)
