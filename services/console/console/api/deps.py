"""What every page needs: the settings, the session, the language, a gateway client with the
person's token, and rendering (Jinja2 with the page's gettext catalogue)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from dgplan_shared.service import get_runtime
from console.adapters.gateway_client import ApiProblem, GatewayClient
from console.domain import formatting
from console.api.i18n import DEFAULT_LOCALE, LOCALES, pick, translations
from console.api.session import LANG_COOKIE, Session, keep_csrf, read_session
from console.settings import Settings

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
# Pages are per person and language: never cached by a shared cache; never framed.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
}


def settings_of(request: Request) -> Settings:
    return get_runtime(request).settings  # type: ignore[return-value]


def locale_of(request: Request) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LOCALES else DEFAULT_LOCALE


def origin_of(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def gateway_url(request: Request) -> str:
    return settings_of(request).gateway_url or origin_of(request)


def session_of(request: Request) -> Session:
    return read_session(request, settings_of(request))


def gateway_for(request: Request, session: Session) -> GatewayClient:
    token = session.user.access_token if session.user else None
    return GatewayClient(gateway_url(request), token, settings_of(request).http_timeout_seconds)


def local_path(candidate: str | None, default: str = "/") -> str:
    """Only a path on this site may be a redirect target (never an open redirector)."""
    if not candidate:
        return default
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc or not candidate.startswith("/") or candidate.startswith("//"):
        return default
    return candidate


def _in_language(problem: ApiProblem, gettext: Any) -> ApiProblem:
    """A problem in the page's language where the catalogue has its words (the console's own refusals
    are message ids; an API's title or detail the catalogue lacks is shown as the API wrote it)."""
    return ApiProblem(problem.status, gettext(problem.title) if problem.title else problem.title,
                      gettext(problem.detail) if problem.detail else problem.detail)


def render(request: Request, template: str, session: Session, status: int = 200, **context: Any) -> HTMLResponse:
    locale = locale_of(request)
    catalogue = translations(locale)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if isinstance(context.get("problem"), ApiProblem):
        context["problem"] = _in_language(context["problem"], catalogue.gettext)
    html = _TEMPLATES.get_template(template).render(
        _=catalogue.gettext,
        locale=locale,
        other_locale="en" if locale == "th" else "th",
        here=here,
        query=request.query_params,
        user=session.user,
        csrf=session.csrf,
        pick=lambda texts: pick(texts, locale),
        date=lambda value: formatting.format_date(value, locale),
        baht=lambda value: formatting.format_baht(value, locale),
        million=lambda value: formatting.format_million_baht(value, locale),
        **context,
    )
    response = HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)
    keep_csrf(response, settings_of(request), session)
    return response


def problem_page(request: Request, session: Session, problem: ApiProblem) -> HTMLResponse:
    """Every refusal from the API shown as its problem+json title and detail, never a stack trace."""
    status = problem.status if 400 <= problem.status < 600 else 502
    return render(request, "problem.html", session, status=status, problem=problem)
