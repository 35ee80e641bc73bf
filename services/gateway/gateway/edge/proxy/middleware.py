"""The edge's request pipeline, as pure ASGI on every request's hot path:

0. the console's pages, when the console is its own process, go to it as they came
   (``proxy.frontend``: it authenticates people itself and calls the API back through here);
1. drop any incoming ``X-Dgplan-Identity`` (only the gateway may assert identities);
2. authenticate ``Authorization: Bearer`` (else the caller is ``anonymous`` with role ``public``);
3. rate-limit per client id (anonymous callers per remote address);
4. coarse authorization by route prefix (401 / 403);
5. forward a signed identity, the request id and a child ``traceparent`` either to the service
   that owns the path or to the gateway's own routes.

It sits inside the request-context middleware (request id, trace context, body limit) and
outside the router, so it answers with problem+json itself.
"""

from __future__ import annotations

from dataclasses import replace

from starlette.types import ASGIApp, Receive, Scope, Send

from dgplan_shared.web.front_paths import claims
from dgplan_shared.context import child_traceparent, new_request_id, request_id_var, traceparent_var
from dgplan_contracts.identity import ANONYMOUS_SUBJECT, PUBLIC, Principal
from dgplan_contracts.assertion import IDENTITY_HEADER
from gateway.edge.domain import access_policy
from gateway.edge.domain.issuer import issuer, served_base_url
from gateway.edge.domain.rate_limit import retry_after_header
from gateway.edge.domain.routes import service_for
from gateway.edge.domain.tokens import BUILTIN_CLIENT, TokenRejected
from gateway.edge.proxy.forwarding import HOP_BY_HOP
from gateway.edge.proxy.frontend import forward_page
from gateway.edge.proxy.problems import send_problem
from gateway.edge.state import EDGE_KEY, EdgeState

ANONYMOUS = Principal(subject=ANONYMOUS_SUBJECT, roles=frozenset({PUBLIC}))
_IDENTITY = IDENTITY_HEADER.encode()
_UNLIMITED = frozenset({"/healthz", "/readyz", "/metrics"})
# Replaced or meaningless on the way to a service.
_NOT_FORWARDED = HOP_BY_HOP | {
    _IDENTITY,
    b"authorization",
    b"x-request-id",
    b"traceparent",
    b"host",
    b"cookie",
    b"expect",
}


class _RouteLabel:
    """Lets the metrics middleware label proxied requests by service instead of "unmatched"."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path


_ROUTE_LABELS: dict[str, _RouteLabel] = {}


class EdgeMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        edge: EdgeState = scope["app"].state.runtime.extras[EDGE_KEY]
        path: str = scope["path"]
        if "/." in path and _has_dot_segment(path):
            # "/api/v1/plans/../admin" would be judged as one area here and may mean another to
            # whatever normalizes paths downstream: refuse rather than guess.
            await send_problem(send, 400, "Paths may not contain '.' or '..' segments.", path)
            return
        if edge.frontend is not None and claims(edge.settings.console_paths, path):
            await forward_page(edge.frontend, scope, receive, send)
            return

        authorization = b""
        host: bytes | None = None
        headers: list[tuple[bytes, bytes]] = []
        for name, value in scope["headers"]:
            if name == _IDENTITY:
                continue  # a forged assertion: never passes the edge
            if name == b"authorization":
                authorization = value
            elif name == b"host":
                host = value
            headers.append((name, value))

        principal = ANONYMOUS
        if authorization[:7].lower() == b"bearer ":
            try:
                expected = issuer(
                    edge.settings.public_base_url,
                    served_base_url(
                        scope.get("scheme", "http"),
                        host.decode("latin-1") if host else None,
                        scope.get("server"),
                        scope.get("root_path", ""),
                    ),
                )
                principal = await edge.verifier.verify(authorization[7:].strip().decode("latin-1"), expected)
                if principal.extra.get(BUILTIN_CLIENT) and not await edge.client_active(principal.subject):
                    raise TokenRejected("the client was deactivated")
            except TokenRejected as exc:
                description = str(exc).replace('"', "'")
                await send_problem(
                    send,
                    401,
                    f"Bearer token rejected: {exc}.",
                    path,
                    headers={"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{description}"'},
                )
                return
            bodies, offices = await edge.memberships_of(principal.subject)
            if bodies:
                principal = replace(principal, bodies=bodies, offices=offices)

        if edge.rate_limiter.enabled and path not in _UNLIMITED:
            if principal is ANONYMOUS:
                client = scope.get("client")
                key = "addr:" + (client[0] if client else "unknown")
            else:
                key = "client:" + principal.subject
            wait = await edge.rate_limiter.take(key)
            if wait:
                await send_problem(
                    send,
                    429,
                    "Rate limit exceeded; retry later.",
                    path,
                    headers={"Retry-After": retry_after_header(wait)},
                )
                return

        verdict = access_policy.decide(scope["method"], path, principal)
        if verdict == 401:
            await send_problem(
                send,
                401,
                "This operation needs an authenticated caller (Authorization: Bearer <token>).",
                path,
                headers={"WWW-Authenticate": 'Bearer realm="dgplan"'},
            )
            return
        if verdict == 403:
            await send_problem(send, 403, "Your roles do not allow this operation.", path)
            return

        identity = edge.identity_header(principal)
        service = service_for(path)
        if service is None:
            headers.append((_IDENTITY, identity))
            scope["headers"] = headers
            await self.app(scope, receive, send)
            return

        named = _connection_named(headers)
        forwarded = [(k, v) for k, v in headers if k not in _NOT_FORWARDED and k not in named]
        forwarded.append((_IDENTITY, identity))
        forwarded.append((b"x-request-id", (request_id_var.get() or new_request_id()).encode()))
        forwarded.append((b"traceparent", child_traceparent(traceparent_var.get()).encode()))
        client = scope.get("client")
        if client:
            forwarded.append((b"x-forwarded-for", client[0].encode()))
        forwarded.append((b"x-forwarded-proto", scope.get("scheme", "http").encode()))
        label = _ROUTE_LABELS.get(service)
        if label is None:
            label = _ROUTE_LABELS[service] = _RouteLabel(f"proxy:{service}")
        scope["route"] = label
        await edge.upstreams[service].forward(scope, receive, send, forwarded)


def _has_dot_segment(path: str) -> bool:
    return any(segment in (".", "..") for segment in path.split("/"))


def _connection_named(headers: list[tuple[bytes, bytes]]) -> frozenset[bytes]:
    """Headers the caller declared hop-by-hop in its Connection header (RFC 9110 §7.6.1)."""
    for name, value in headers:
        if name == b"connection":
            return frozenset(v.strip().lower() for v in value.split(b","))
    return frozenset()
