"""The console's guards over plain HTTP against the embedded suite: cookies, CSRF, redirects, the
font it serves itself, and the gateway still owning every other path."""

from __future__ import annotations

import httpx

from tests.console.conftest import Suite


def test_the_console_is_served_at_the_root_and_the_gateway_keeps_its_paths(suite: Suite) -> None:
    home = httpx.get(suite.base_url + "/")
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert '<html lang="th">' in home.text
    assert home.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in home.headers[
        "content-security-policy"]
    assert httpx.get(suite.base_url + "/api/v1/plans").headers["content-type"] == "application/json"
    assert httpx.get(suite.base_url + "/.well-known/openid-configuration").json()["authorization_endpoint"] == (
        suite.base_url + "/oauth2/authorize")
    font = httpx.get(suite.base_url + "/console-static/sarabun/400.css")
    assert font.status_code == 200 and "sarabun-thai-400-normal.woff2" in font.text


def test_sign_in_starts_a_pkce_request_with_a_signed_http_only_cookie(suite: Suite) -> None:
    start = httpx.get(suite.base_url + "/auth/signin?next=/inbox")
    assert start.status_code == 303
    target = httpx.URL(start.headers["location"])
    assert target.path == "/oauth2/authorize"
    assert target.params["code_challenge_method"] == "S256" and len(target.params["code_challenge"]) == 43
    assert target.params["redirect_uri"] == suite.base_url + "/auth/callback"
    cookie = start.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_a_callback_not_started_here_is_refused(suite: Suite) -> None:
    answer = httpx.get(suite.base_url + "/auth/callback?code=stolen&state=guessed")
    assert answer.status_code == 502 and "เข้าสู่ระบบไม่สำเร็จ" in answer.text and "not started here" in answer.text
    assert "dgplan_session" not in answer.headers.get("set-cookie", "")


def test_a_forged_session_cookie_is_a_signed_out_visitor(suite: Suite) -> None:
    answer = httpx.get(suite.base_url + "/inbox", cookies={"dgplan_session": "eyJzdWIiOiJhZG1pbiJ9.forged.sig"})
    assert answer.status_code == 303 and answer.headers["location"].startswith("/auth/signin")


def test_forms_without_their_csrf_token_are_refused(suite: Suite) -> None:
    answer = httpx.post(suite.base_url + "/auth/signout", data={"csrf": "not-the-token"})
    assert answer.status_code == 403 and "แบบฟอร์มหมดอายุ" in answer.text  # the console's own refusal, in the page's language


def test_the_language_switch_only_redirects_within_the_site(suite: Suite) -> None:
    answer = httpx.get(suite.base_url + "/lang/en?next=https://evil.example/")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    english = httpx.get(suite.base_url + "/", cookies={"dgplan_lang": "en"})
    assert '<html lang="en">' in english.text and "6,504.69 million baht" in english.text


def test_the_screening_pages_and_downloads_ask_a_signed_out_visitor_to_sign_in(suite: Suite) -> None:
    for path in ("/screening", "/screening/rounds/r-1", "/screening/rounds/r-1/exports/requests?format=csv",
                 "/screening/requests/q-1", "/agency"):
        answer = httpx.get(suite.base_url + path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/auth/signin"), path
    posted = httpx.post(suite.base_url + "/screening/requests/q-1/decision", data={"decision": "reject"})
    assert posted.status_code == 303 and posted.headers["location"].startswith("/auth/signin")
