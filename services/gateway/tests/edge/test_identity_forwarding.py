"""What reaches a service: a verified, signed identity (never a forged one), the request id, a
child traceparent, the body and query untouched, no hop-by-hop or credential headers."""

from __future__ import annotations

import time

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from dgplan_contracts.identity import Principal
from dgplan_contracts.assertion import sign_identity

TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


async def test_a_forged_identity_header_is_dropped(gateway, settings):
    forged = sign_identity(
        Principal("intruder", frozenset({"operator"})), "a-guessed-secret-that-is-long-enough-to-sign"
    )
    real_secret_forgery = sign_identity(
        Principal("intruder", frozenset({"operator"})), settings.internal_auth_secret.get_secret_value()
    )
    async with gateway() as (client, _):
        for token in (forged, real_secret_forgery):
            body = (await client.get("/api/v1/plans", headers={"X-Dgplan-Identity": token})).json()
            assert body["identity"] == {"sub": "anonymous", "roles": ["public"], "agency": None, "bodies": []}
            # The gateway's own routes see the edge's identity too, not the caller's.
            assert (await client.get("/api/v1/admin/clients", headers={"X-Dgplan-Identity": token})).status_code == 401


async def test_a_bearer_token_becomes_the_forwarded_identity(gateway, bearer):
    async with gateway() as (client, runtime):
        headers = await bearer(runtime, "agency", agency="MOF", subject="mof-erp")
        body = (
            await client.post("/api/v1/projects?dry=1", headers=headers, content=b'{"title":"\xe0\xb8\x81"}')
        ).json()
    assert body["identity"] == {"sub": "mof-erp", "roles": ["agency"], "agency": "MOF", "bodies": []}
    assert body["headers"]["authorization"] is None  # the bearer token stays at the edge
    assert body["query"] == "dry=1"
    assert body["body"] == '{"title":"ก"}'


async def test_body_memberships_come_from_governance(gateway, bearer, monkeypatch):
    async def memberships(runtime, subject):  # type: ignore[no-untyped-def]
        if subject == "demo-cabinet":
            return frozenset({"cabinet", "dgc"}), frozenset({"dgc"})
        return frozenset(), frozenset()

    monkeypatch.setattr("gateway.edge.memberships_of", memberships)  # what the edge is wired with
    async with gateway() as (client, runtime):
        headers = await bearer(runtime, "body_member", subject="demo-cabinet")
        body = (await client.get("/api/v1/plans", headers=headers)).json()
    assert body["identity"]["bodies"] == ["cabinet", "dgc"]
    # The chair's office travels with the identity: a service can tell who records a resolution.
    assert body["identity"]["offices"] == ["dgc"]


async def test_request_id_and_trace_context_are_propagated(gateway):
    async with gateway() as (client, _):
        response = await client.get("/api/v1/monitoring/x", headers={"X-Request-Id": "req-42", "traceparent": TRACE})
    sent = response.json()["headers"]
    assert sent["x-request-id"] == "req-42"
    trace_id = TRACE.split("-")[1]
    assert sent["traceparent"].split("-")[1] == trace_id  # same trace
    assert sent["traceparent"] != TRACE  # a child span
    assert response.headers["x-request-id"] == "req-42"
    assert response.headers.get_list("x-request-id") == ["req-42"]  # the service's copy is not doubled


async def test_a_request_id_is_made_when_missing(gateway):
    async with gateway() as (client, _):
        response = await client.get("/api/v1/budget/x")
    assert response.status_code == 401  # budget needs a signed-in caller
    assert len(response.headers["x-request-id"]) == 32


async def test_hop_by_hop_headers_of_the_answer_are_stripped(gateway):
    async with gateway() as (client, _):
        response = await client.get("/api/v1/plans")
    assert response.headers["x-upstream"] == "plan-registry"
    assert "x-secret-hop" not in response.headers  # named by the upstream's Connection header
    assert "connection" not in response.headers


def _token(key, kid: str, **claims):  # type: ignore[no-untyped-def]
    now = int(time.time())
    base = {
        "iss": "http://testserver",  # the address the tests serve at (no public URL configured)
        "aud": "dgplan-api",
        "sub": "tester-x",
        "iat": now,
        "exp": now + 60,
        "roles": ["operator"],
    }
    return jwt.encode({**base, **claims}, key, algorithm="RS256", headers={"kid": kid})


async def test_bad_tokens_are_refused_with_401_and_www_authenticate(gateway, bearer):
    async with gateway() as (client, runtime):
        await bearer(runtime, "operator", subject="tester-x")  # registers the client the tokens below name
        edge = runtime.extras["edge"]
        own = await edge.keys.active()
        stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = int(time.time())
        cases = {
            "expired": _token(own.private_key, own.kid, exp=now - 60, iat=now - 120),
            "wrong audience": _token(own.private_key, own.kid, aud="someone-else"),
            "wrong issuer": _token(own.private_key, own.kid, iss="https://evil.example"),
            "forged signature": _token(stranger, own.kid),
            "unknown key": _token(stranger, "not-a-kid"),
            "garbage": "not.a.jwt",
        }
        for name, token in cases.items():
            response = await client.get("/api/v1/plans", headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, name
            assert response.headers["content-type"] == "application/problem+json", name
            assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"'), name
        good = _token(own.private_key, own.kid)
        assert (
            await client.get("/api/v1/admin/clients", headers={"Authorization": f"Bearer {good}"})
        ).status_code == 200


async def test_dot_segments_are_refused_and_connection_named_headers_not_forwarded(gateway):
    async with gateway() as (client, _):
        # httpx normalizes "..": speak ASGI directly, as a server passes on what a client sent.
        app = client._transport.app  # type: ignore[attr-defined]
        sent_messages: list[dict] = []

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            sent_messages.append(message)

        path = "/api/v1/plans/../admin/clients"
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"testserver")],
            "client": ("127.0.0.1", 1),
            "server": ("testserver", 80),
        }
        await app(scope, receive, send)
        assert sent_messages[0]["status"] == 400
        assert (b"content-type", b"application/problem+json") in sent_messages[0]["headers"]
        sent = await client.get(
            "/api/v1/plans", headers={"Connection": "keep-alive, x-private", "X-Private": "1", "Idempotency-Key": "k"}
        )
        plain = await client.get("/api/v1/plans", headers={"X-Private": "1"})
    assert sent.json()["headers"]["idempotency-key"] == "k"
    assert sent.json()["headers"]["x-private"] is None  # declared hop-by-hop by the caller
    assert plain.json()["headers"]["x-private"] == "1"  # otherwise an ordinary header, passed on
