"""``/api/v1/notices``: a person's own e-mail notice settings, their recent notice mails, and the
unsubscribe link of every mail (which works without signing in)."""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse

from dgplan_shared.commands import json_response, run_command
from dgplan_shared.problems import PROBLEM_RESPONSES
from dgplan_shared.web.etags import version_etag
from notifications.api import presenters
from notifications.api.deps import Caller, IfMatch, box_of, run_query
from notifications.api.schemas import (
    ContactIn,
    NoticeKind,
    NoticeMailList,
    NoticeSettingsOut,
    PreferenceIn,
    UnsubscribedOut,
)
from notifications.application import notice_queries, notice_settings, unsubscribe
from notifications.application.notice_settings import ETAG_KIND

router = APIRouter(prefix="/api/v1/notices", tags=["notices"], responses=PROBLEM_RESPONSES)
Token = Annotated[str, Query(min_length=1, max_length=2000, pattern=r"^[A-Za-z0-9_\-=]+$",
                             description="The token of the link in a notice mail.")]


def _etag(body: dict[str, Any]) -> dict[str, str]:
    contact = body.get("contact")
    return {"ETag": version_etag(ETAG_KIND, body["subject"], contact["version"])} if contact else {}


@router.get("/me", response_model=NoticeSettingsOut, summary="My e-mail notice settings (address, language, kinds)")
async def get_mine(request: Request, principal: Caller) -> Response:
    found = await run_query(request, notice_settings.get_settings, notice_settings.GetSettings(principal))
    body = presenters.notice_settings(found)
    return json_response(body, headers=_etag(body))


@router.put("/me", response_model=NoticeSettingsOut,
            summary="Set my notice address and language (If-Match once it exists)")
async def put_mine(request: Request, body: ContactIn, principal: Caller, if_match: IfMatch = None) -> Response:
    command = notice_settings.SetContact(principal, body.email, body.language, if_match)
    return await run_command(request, notice_settings.set_contact, command, present=presenters.notice_settings,
                             headers=_etag)


@router.put("/me/preferences/{kind}", response_model=NoticeSettingsOut,
            summary="Turn one kind of notice mail off or on for me")
async def put_preference(request: Request, kind: Annotated[NoticeKind, Path()], body: PreferenceIn,
                         principal: Caller) -> Response:
    command = notice_settings.SetPreference(principal, kind, body.subscribed)
    return await run_command(request, notice_settings.set_preference, command, present=presenters.notice_settings,
                             headers=_etag)


@router.get("/me/mails", response_model=NoticeMailList, summary="My recent notice mails, sent or not, newest first")
async def my_mails(request: Request, principal: Caller,
                   limit: Annotated[int, Query(ge=1, le=200)] = 50) -> Response:
    rows = await run_query(request, notice_queries.my_mails, notice_queries.MyMails(principal, limit))
    return json_response({"items": [presenters.notice_mail(m) for m in rows]})


PAGE = """<!doctype html><html lang="th"><head><meta charset="utf-8"><title>dgplan</title></head><body>
<p>{th}</p><p lang="en">{en}</p>{form}</body></html>"""


@router.get("/unsubscribe", response_class=HTMLResponse,
            responses={200: {"content": {"text/html": {}}, "description": "A page with the button that unsubscribes"}},
            summary="The unsubscribe link of a mail: a page asking to confirm (no sign-in; nothing changes yet)")
async def unsubscribe_page(request: Request, token: Token) -> Response:
    # A GET changes nothing: mail scanners open links, and only a person pressing the button
    # (or a mail program's RFC 8058 one-click POST) may unsubscribe.
    state = await run_query(request, unsubscribe.handle, unsubscribe.Unsubscribe(token, box_of(request), apply=False))
    kind = html.escape(state.kind)
    form = (f'<form method="post" action="?token={html.escape(token)}">'
            f'<button type="submit">ยกเลิกการรับอีเมล / Unsubscribe</button></form>')
    return HTMLResponse(PAGE.format(th=f"ยกเลิกการรับอีเมลประเภท {kind}?", en=f"Stop e-mails of the kind {kind}?",
                                    form=form))


@router.post("/unsubscribe", response_model=UnsubscribedOut,
             summary="Unsubscribe from one kind of notice mail with the link's token (no sign-in; RFC 8058 one-click)",
             openapi_extra={"requestBody": {"required": False, "content": {
                 "application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}})
async def unsubscribe_now(request: Request, token: Token) -> Response:
    # Setting a preference is idempotent, so this POST needs no Idempotency-Key (a mail program
    # cannot send one); the body (RFC 8058's "List-Unsubscribe=One-Click") is not needed either.
    return await run_command(request, unsubscribe.handle, unsubscribe.Unsubscribe(token, box_of(request)))
