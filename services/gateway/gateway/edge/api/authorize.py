"""The built-in issuer's authorization endpoint (RFC 6749 §4.1, PKCE S256) and its login page."""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from dgplan_shared.problems import problem_body, problem_response
from dgplan_shared.service import get_runtime
from gateway.edge.application.people_codes import (
    AuthorizationRequest, FlowError, TokenSet, check_request, exchange, redirect_error, sign_in,
)
from gateway.edge.api.deps import served_issuer
from gateway.edge.state import EdgeState, edge_state

router = APIRouter(tags=["authentication"])

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# The login page is never framed (clickjacking) and runs no script.
_PAGE_HEADERS = {
    **_NO_STORE,
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def _login_headers(redirect_uri: str) -> dict[str, str]:
    """Browsers apply form-action to the redirect after the submit too: allow the client's own
    (registered, already checked) origin besides this one."""
    parts = urlsplit(redirect_uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return _PAGE_HEADERS
    origin = f"{parts.scheme}://{parts.netloc}"
    return {**_PAGE_HEADERS, "Content-Security-Policy": _PAGE_HEADERS["Content-Security-Policy"].replace(
        "form-action 'self'", f"form-action 'self' {origin}")}
_FIELDS = ("client_id", "redirect_uri", "code_challenge", "code_challenge_method", "state", "scope", "nonce")


def _request_from(fields: dict[str, str]) -> AuthorizationRequest:
    return AuthorizationRequest(
        client_id=fields.get("client_id", ""),
        redirect_uri=fields.get("redirect_uri", ""),
        code_challenge=fields.get("code_challenge", ""),
        code_challenge_method=fields.get("code_challenge_method", ""),
        state=fields.get("state", ""),
        scope=fields.get("scope", "openid"),
        nonce=fields.get("nonce") or None,
    )


def _back_to_client(request: AuthorizationRequest, **params: str) -> RedirectResponse:
    if request.state:
        params["state"] = request.state
    separator = "&" if "?" in request.redirect_uri else "?"
    return RedirectResponse(request.redirect_uri + separator + urlencode(params), status_code=303, headers=_NO_STORE)


def _page(request: AuthorizationRequest, *, error: str | None = None, username: str = "", status: int = 200) -> HTMLResponse:
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{escape(getattr(request, name) or "")}">' for name in _FIELDS
    )
    alert = (
        f'<p class="error" role="alert" id="login-error">{escape(error)}</p>' if error else ""
    )
    described = ' aria-describedby="login-error"' if error else ""
    html = f"""<!doctype html>
<html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>เข้าสู่ระบบ · Sign in — dgplan</title>
<style>
body{{font-family:"Sarabun","Noto Sans Thai","Loma","Garuda",sans-serif;background:#f4f6f8;color:#1b1f23;margin:0}}
main{{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;border:1px solid #c9d1d9}}
h1{{font-size:1.4rem;margin-top:0}} label{{display:block;margin-top:1rem;font-weight:600}}
input[type=text],input[type=password]{{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #57606a;border-radius:4px}}
button{{margin-top:1.5rem;padding:.6rem 1.4rem;font-size:1rem;background:#0b4f8a;color:#fff;border:0;border-radius:4px;cursor:pointer}}
:focus-visible{{outline:3px solid #d4a100;outline-offset:2px}}
.error{{color:#a40e26;background:#ffebe9;padding:.6rem;border-radius:4px}}
</style></head>
<body><main>
<h1>เข้าสู่ระบบ <span lang="en">· Sign in</span></h1>
<p>ระบบแผนพัฒนารัฐบาลดิจิทัล <span lang="en">· dgplan</span></p>
{alert}
<form method="post" action="/oauth2/authorize">
{hidden}
<label for="username">ชื่อผู้ใช้ <span lang="en">· Username</span></label>
<input type="text" id="username" name="username" autocomplete="username" required value="{escape(username)}"{described}>
<label for="password">รหัสผ่าน <span lang="en">· Password</span></label>
<input type="password" id="password" name="password" autocomplete="current-password" required{described}>
<button type="submit">เข้าสู่ระบบ <span lang="en">· Sign in</span></button>
</form>
</main></body></html>"""
    return HTMLResponse(html, status_code=status, headers=_login_headers(request.redirect_uri))


def _wants_html(request: Request) -> bool:
    """Browsers ask for HTML and are shown a page; API clients get problem+json like everywhere else."""
    return "text/html" in request.headers.get("accept", "")


def _refusal(request: Request, error: FlowError) -> Response:
    if not _wants_html(request):
        return problem_response(
            problem_body(error.status, error.error.replace("_", "-"), "Sign-in request refused", error.description),
            headers=_NO_STORE,
        )
    return _problem_page(error)


def _problem_page(error: FlowError) -> HTMLResponse:
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in request refused</title></head>'
        f"<body><main><h1>Sign-in request refused</h1><p>{escape(error.error)}: {escape(error.description)}</p>"
        "</main></body></html>"
    )
    return HTMLResponse(html, status_code=error.status, headers=_PAGE_HEADERS)


async def _checked(request: Request, fields: dict[str, str]) -> tuple[AuthorizationRequest, Response | None]:
    auth = _request_from(fields)
    edge = edge_state(get_runtime(request))
    if edge.keys is None:
        return auth, _refusal(request, FlowError("unsupported_response_type", "The built-in issuer is turned off."))
    try:
        await check_request(get_runtime(request), auth)
    except FlowError as exc:
        return auth, _refusal(request, exc)
    if fields.get("response_type", "code") != "code":
        return auth, _back_to_client(auth, error="unsupported_response_type", error_description="Only response_type=code.")
    wrong = redirect_error(auth)
    if wrong is not None:
        return auth, _back_to_client(auth, error=wrong.error, error_description=wrong.description)
    return auth, None


@router.get(
    "/oauth2/authorize",
    summary="Sign a person in (OAuth2 authorization code with PKCE S256): the login page",
    response_class=HTMLResponse,
    responses={200: {"description": "The login page"}, 303: {"description": "Back to the client with an error"},
               400: {"description": "Unknown client or unregistered redirect_uri"}},
)
async def authorize_page(request: Request) -> Response:
    fields = {k: v for k, v in request.query_params.items() if k in (*_FIELDS, "response_type")}
    auth, refused = await _checked(request, fields)
    return refused or _page(auth)


@router.post(
    "/oauth2/authorize",
    summary="The login form: right credentials redirect back to the client with a single-use code",
    response_class=HTMLResponse,
    responses={303: {"description": "Back to the client with a code"}, 401: {"description": "Wrong credentials"},
               400: {"description": "Unknown client, unregistered redirect_uri or a form that is not UTF-8"}},
)
async def authorize_submit(request: Request) -> Response:
    try:
        form = parse_qs((await request.body()).decode(), keep_blank_values=True)
    except UnicodeDecodeError:
        return _refusal(request, FlowError("invalid_request", "The form is not UTF-8."))
    fields = {k: v[0] for k, v in form.items()}
    auth, refused = await _checked(request, fields)
    if refused is not None:
        return refused
    try:
        code = await sign_in(get_runtime(request), auth, fields.get("username", ""), fields.get("password", ""))
    except FlowError as exc:
        if not _wants_html(request):
            return _refusal(request, exc)
        return _page(auth, error="ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง · Wrong username or password.",
                     username=fields.get("username", ""), status=exc.status)
    return _back_to_client(auth, code=code)


async def authorization_code_grant(
    request: Request, edge: EdgeState, fields: dict[str, str], basic: tuple[str, str] | None
) -> JSONResponse:
    """``grant_type=authorization_code`` at the token endpoint (called from there)."""
    client_id, secret = basic or (fields.get("client_id", ""), fields.get("client_secret", ""))
    try:
        tokens: TokenSet = await exchange(
            get_runtime(request), edge, client_id=client_id, secret=secret, code=fields.get("code", ""),
            redirect_uri=fields.get("redirect_uri", ""), verifier=fields.get("code_verifier", ""),
            issuer=served_issuer(request),
        )
    except FlowError as exc:
        headers = dict(_NO_STORE)
        if exc.status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="dgplan"'
        return JSONResponse({"error": exc.error, "error_description": exc.description}, status_code=exc.status,
                            headers=headers)
    return JSONResponse(
        {"access_token": tokens.access_token, "token_type": "Bearer", "expires_in": tokens.expires_in,
         "scope": tokens.scope, "id_token": tokens.id_token},
        headers=_NO_STORE,
    )
