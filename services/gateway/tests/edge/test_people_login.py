"""People sign in at the built-in issuer (authorization code + PKCE S256) and get tokens that carry
their roles, agency and bodies, exactly as a client's do."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from gateway.edge.application.people_demo import CONSOLE_CALLBACK, CONSOLE_CLIENT

BASE = "http://testserver"
CALLBACK = BASE + CONSOLE_CALLBACK
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


def _secrets(directory) -> tuple[dict[str, str], str]:  # type: ignore[no-untyped-def]
    def read(name: str) -> dict[str, str]:
        lines = (directory / name).read_text().splitlines()
        return dict(line.split(" ", 1) for line in lines if not line.startswith("#"))

    return read("demo-people.txt"), read("console-client.txt")[CONSOLE_CLIENT]


@pytest.fixture
def signed_up(gateway, tmp_path):  # type: ignore[no-untyped-def]
    """The gateway after ``make run``'s setup: bodies, demo clients, demo people and their memberships."""

    class Started:
        async def __aenter__(self):  # type: ignore[no-untyped-def]
            self._cm = gateway(demo_clients_file=str(tmp_path / "demo-clients.txt"), public_base_url=BASE)
            client, runtime = await self._cm.__aenter__()
            await runtime.definition.embedded_setup(runtime)
            passwords, console_secret = _secrets(tmp_path)
            return client, passwords, console_secret

        async def __aexit__(self, *exc):  # type: ignore[no-untyped-def]
            await self._cm.__aexit__(*exc)

    return Started()


async def _login(client, username: str, password: str, verifier: str, state: str = "s-1"):  # type: ignore[no-untyped-def]
    params = {
        "response_type": "code", "client_id": CONSOLE_CLIENT, "redirect_uri": CALLBACK, "state": state,
        "code_challenge": _challenge(verifier), "code_challenge_method": "S256", "scope": "openid", "nonce": "n-1",
    }
    page = await client.get("/oauth2/authorize", params=params, headers=BROWSER)
    assert page.status_code == 200 and 'name="password"' in page.text and "เข้าสู่ระบบ" in page.text
    # Never framed; the form may post here and be redirected to the client's registered origin only.
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and f"form-action 'self' {BASE};" in policy
    return await client.post(
        "/oauth2/authorize", data={**params, "username": username, "password": password}, headers=BROWSER
    )


def _code_from(answer) -> str:  # type: ignore[no-untyped-def]
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert location.startswith(CALLBACK + "?")
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == ["s-1"]
    return query["code"][0]


async def _exchange(client, secret: str, code: str, verifier: str):  # type: ignore[no-untyped-def]
    return await client.post(
        "/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier},
        auth=(CONSOLE_CLIENT, secret),
    )


async def test_a_committee_member_signs_in_and_the_token_carries_role_and_body(signed_up):
    async with signed_up as (client, passwords, secret):
        verifier = secrets.token_urlsafe(48)
        code = _code_from(await _login(client, "dgc-member-1", passwords["dgc-member-1"], verifier))
        answer = await _exchange(client, secret, code, verifier)
        assert answer.status_code == 200, answer.text
        tokens = answer.json()
        assert tokens["token_type"] == "Bearer" and answer.headers["cache-control"] == "no-store"
        id_claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
        assert id_claims["aud"] == CONSOLE_CLIENT and id_claims["nonce"] == "n-1"
        assert id_claims["sub"] == "demo-dgc-member-1"
        assert id_claims["bodies"] == ["digital-government-committee"]
        # The access token works at the API like a client's: the edge forwards the person's identity.
        seen = (
            await client.get("/api/v1/projects", headers={"Authorization": f"Bearer {tokens['access_token']}"})
        ).json()["identity"]
        assert seen == {"sub": "demo-dgc-member-1", "roles": ["body_member"], "agency": None,
                        "bodies": ["digital-government-committee"]}


async def test_agency_staff_token_carries_the_agency(signed_up):
    async with signed_up as (client, passwords, secret):
        verifier = secrets.token_urlsafe(48)
        code = _code_from(await _login(client, "opdc-staff", passwords["opdc-staff"], verifier))
        tokens = (await _exchange(client, secret, code, verifier)).json()
        seen = (
            await client.get("/api/v1/projects", headers={"Authorization": f"Bearer {tokens['access_token']}"})
        ).json()["identity"]
        assert seen["roles"] == ["agency"] and seen["agency"] == "OPDC" and seen["bodies"] == []


async def test_a_wrong_password_shows_the_page_again_with_an_error_and_no_code(signed_up):
    async with signed_up as (client, passwords, _secret):
        answer = await _login(client, "nesdc", passwords["nesdc"] + "x", secrets.token_urlsafe(48))
        assert answer.status_code == 401
        assert "location" not in answer.headers
        assert 'role="alert"' in answer.text and "Wrong username or password" in answer.text
        unknown = await _login(client, "nobody-here", "whatever", secrets.token_urlsafe(48))
        assert unknown.status_code == 401 and "Wrong username or password" in unknown.text


async def test_a_code_is_refused_with_the_wrong_verifier_and_then_burnt(signed_up):
    async with signed_up as (client, passwords, secret):
        verifier = secrets.token_urlsafe(48)
        code = _code_from(await _login(client, "cabinet", passwords["cabinet"], verifier))
        wrong = await _exchange(client, secret, code, secrets.token_urlsafe(48))
        assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
        assert "code_verifier" in wrong.json()["error_description"]
        # Even the right verifier no longer helps: one guess per code.
        again = await _exchange(client, secret, code, verifier)
        assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


async def test_a_code_is_single_use(signed_up):
    async with signed_up as (client, passwords, secret):
        verifier = secrets.token_urlsafe(48)
        code = _code_from(await _login(client, "secretariat", passwords["secretariat"], verifier))
        assert (await _exchange(client, secret, code, verifier)).status_code == 200
        replay = await _exchange(client, secret, code, verifier)
        assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"


async def test_the_code_exchange_needs_the_clients_secret(signed_up):
    async with signed_up as (client, passwords, secret):
        verifier = secrets.token_urlsafe(48)
        code = _code_from(await _login(client, "operator", passwords["operator"], verifier))
        answer = await _exchange(client, secret + "x", code, verifier)
        assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


async def test_plain_pkce_and_unregistered_redirects_are_refused(signed_up):
    async with signed_up as (client, _passwords, _secret):
        base = {"response_type": "code", "client_id": CONSOLE_CLIENT, "state": "s-1"}
        plain = await client.get(
            "/oauth2/authorize",
            params={**base, "redirect_uri": CALLBACK, "code_challenge": "a" * 43, "code_challenge_method": "plain"},
        )
        assert plain.status_code == 303
        assert parse_qs(urlsplit(plain.headers["location"]).query)["error"] == ["invalid_request"]
        missing = await client.get("/oauth2/authorize", params={**base, "redirect_uri": CALLBACK})
        assert missing.status_code == 303 and "error=invalid_request" in missing.headers["location"]
        # Never redirect to an address the client did not register (an open redirector otherwise).
        elsewhere = await client.get(
            "/oauth2/authorize",
            params={**base, "redirect_uri": "https://evil.example/cb", "code_challenge": "a" * 43,
                    "code_challenge_method": "S256"},
        )
        assert elsewhere.status_code == 400 and "location" not in elsewhere.headers
        assert elsewhere.headers["content-type"] == "application/problem+json"
        assert "redirect_uri is not registered" in elsewhere.json()["detail"]
        unknown = await client.get("/oauth2/authorize", params={**base, "client_id": "no-such-client",
                                                               "redirect_uri": CALLBACK}, headers=BROWSER)
        assert unknown.status_code == 400 and "Unknown or inactive client" in unknown.text


async def test_discovery_advertises_the_authorization_code_flow(signed_up):
    async with signed_up as (client, _passwords, _secret):
        document = (await client.get("/.well-known/openid-configuration")).json()
        assert document["authorization_endpoint"] == BASE + "/oauth2/authorize"
        assert document["code_challenge_methods_supported"] == ["S256"]
        assert "authorization_code" in document["grant_types_supported"]
        assert "code" in document["response_types_supported"]


async def test_demo_people_are_printed_and_keep_their_passwords(gateway, tmp_path, capsys):
    async with gateway(demo_clients_file=str(tmp_path / "demo-clients.txt")) as (_client, runtime):
        await runtime.definition.embedded_setup(runtime)
        printed = capsys.readouterr().out
        first, _ = _secrets(tmp_path)
        assert {"secretariat", "operator", "mof-staff", "opdc-staff", "dgc-member-1", "obs-member-1", "nesdc",
                "cabinet", "dgc-chair", "obs-chair"} <= set(first)
        assert all(password in printed for password in first.values())
        await runtime.definition.embedded_setup(runtime)
        again, _ = _secrets(tmp_path)
        assert again == first


async def test_each_demo_chair_holds_the_office_that_records_resolutions(gateway, tmp_path):
    """Screening decisions need the subcommittee's chair or secretary: make run must have a person
    who may take them, and the plain members must not be that person."""
    from gateway.governance.application.memberships import memberships_of  # lazy: the governance query under test

    async with gateway(demo_clients_file=str(tmp_path / "demo-clients.txt")) as (_client, runtime):
        await runtime.definition.embedded_setup(runtime)
        _, chair_offices = await memberships_of(runtime, "demo-obs-chair")
        _, member_offices = await memberships_of(runtime, "demo-obs-member-1")
    assert "operations-budget-subcommittee" in chair_offices
    assert member_offices == frozenset()
