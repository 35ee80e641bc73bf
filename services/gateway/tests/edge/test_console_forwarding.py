"""The console as its own process behind the gateway's address (GATEWAY_CONSOLE_URL): the paths it
claims go to it over HTTP as they came — cookies, form bodies and query kept, its Set-Cookie and
redirects relayed — before the edge's token checks, with no identity assertion and no bearer token
passed on; every other path is still the gateway's. A real uvicorn on 127.0.0.1 plays the console."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import uvicorn
from dgplan_contracts.assertion import IDENTITY_HEADER
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

# The shape of the console's claims (its definition.PATHS): "/" alone, the others with their subtree.
CONSOLE_PATHS = ("/", "/plans", "/inbox", "/auth")


def console_app() -> FastAPI:
    app = FastAPI(openapi_url=None)

    @app.api_route("/{path:path}", methods=["GET", "POST"])
    async def page(request: Request, path: str) -> JSONResponse:
        if path == "auth/signin":
            response = RedirectResponse("/oauth2/authorize?client_id=dgplan-console", status_code=303)
            response.set_cookie("dgplan_signin", "pending", httponly=True, samesite="lax")
            response.set_cookie("dgplan_csrf", "c", httponly=True, samesite="lax")
            return response  # type: ignore[return-value]
        return JSONResponse({
            "path": request.url.path,
            "query": request.url.query,
            "body": (await request.body()).decode(),
            "cookie": request.headers.get("cookie"),
            "authorization": request.headers.get("authorization"),
            "identity": request.headers.get(IDENTITY_HEADER),
            "forwarded_host": request.headers.get("x-forwarded-host"),
            "forwarded_for": request.headers.get("x-forwarded-for"),
            "forwarded_proto": request.headers.get("x-forwarded-proto"),
            "request_id": request.headers.get("x-request-id"),
        })

    return app


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", access_log=False, log_config=None))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def with_console(gateway):  # type: ignore[no-untyped-def]
    async with serving(console_app()) as port, gateway(
        console_url=f"http://127.0.0.1:{port}", console_paths=CONSOLE_PATHS, rate_limit_per_second=0
    ) as (client, runtime):
        yield client, runtime


async def test_the_consoles_pages_reach_it_as_they_came(with_console):
    client, _ = with_console
    page = await client.get(
        "/inbox/42?lang=th",
        headers={"Cookie": "dgplan_session=s1", "X-Forwarded-For": "10.9.9.9", "X-Forwarded-Host": "evil.example",
                 "X-Request-Id": "r-7"},
    )
    assert page.status_code == 200, page.text
    seen = page.json()
    assert seen["path"] == "/inbox/42" and seen["query"] == "lang=th"
    assert seen["cookie"] == "dgplan_session=s1"  # a service never gets cookies; the console must
    # The gateway's own hop: a client cannot pose as another address or host.
    assert seen["forwarded_for"] != "10.9.9.9" and seen["forwarded_host"] != "evil.example"
    assert seen["forwarded_proto"] == "http" and seen["request_id"] == "r-7"

    posted = await client.post("/inbox/42/votes", data={"choice": "approve", "csrf": "c"})
    assert posted.json()["body"] == "choice=approve&csrf=c"

    home = await client.get("/")
    assert home.json()["path"] == "/"


async def test_a_token_or_an_assertion_sent_to_a_page_is_neither_checked_nor_passed_on(with_console):
    client, _ = with_console
    page = await client.get("/plans", headers={"Authorization": "Bearer not-a-token", IDENTITY_HEADER: "forged"})
    assert page.status_code == 200  # a page is not an API call: no 401 for a token it does not use
    assert page.json()["authorization"] is None and page.json()["identity"] is None


async def test_its_redirects_and_cookies_come_back_unchanged(with_console):
    client, _ = with_console
    answer = await client.get("/auth/signin")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/oauth2/authorize?client_id=dgplan-console"
    assert sorted(c.split("=", 1)[0] for c in answer.headers.get_list("set-cookie")) == ["dgplan_csrf", "dgplan_signin"]


@pytest.mark.parametrize("path", ["/inboxes", "/api/v1/governance/inbox", "/oauth2/token", "/healthz", "/docs"])
async def test_every_other_path_is_still_the_gateways(with_console, path):
    client, _ = with_console
    answer = await client.get(path)
    is_json = answer.headers.get("content-type", "").split(";")[0] in ("application/json", "application/problem+json")
    assert not (is_json and "cookie" in answer.json()), f"{path} reached the console"


async def test_without_a_console_url_the_gateway_forwards_no_page(gateway):
    async with gateway(rate_limit_per_second=0, console_paths=CONSOLE_PATHS) as (client, runtime):
        assert runtime.extras["edge"].frontend is None
        assert (await client.get("/inbox")).status_code == 404


async def test_a_console_url_without_its_paths_refuses_to_start(gateway):
    """Forwarding nothing would make every console page the gateway's 404, far from the cause."""
    with pytest.raises(RuntimeError, match="GATEWAY_CONSOLE_PATHS"):
        async with gateway(console_url="http://127.0.0.1:9", console_paths=()):
            pass
