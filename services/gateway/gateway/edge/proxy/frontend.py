"""Forwarding the console's pages when the console is its own process (distributed, compose,
Kubernetes), so the gateway's one public address answers them exactly as the embedded server's
front does (``dgplan_shared.embedded``): the same path rule (``dgplan_shared.web.front_paths``),
and the request passed on before the edge's bearer-token, rate-limit and access checks.

Why before those checks: the console is not an API. It authenticates people by its own signed
session cookie and calls ``/api/v1`` back through the gateway with the person's token, where every
check applies; a page request carries no bearer token to check. So, unlike a service's request,
the cookies go through, and no identity assertion does (the console never trusts one).
"""

from __future__ import annotations

from dgplan_contracts.assertion import IDENTITY_HEADER
from dgplan_shared.context import child_traceparent, new_request_id, request_id_var, traceparent_var
from starlette.types import Receive, Scope, Send

from gateway.edge.adapters.upstream_http import Forwarder
from gateway.edge.proxy.forwarding import HOP_BY_HOP

# Set by the gateway itself below (a client's own X-Forwarded-* would let it pose as another
# address or scheme), or meaningless to the console (it reads no bearer token and no assertion).
_NOT_FORWARDED = HOP_BY_HOP | {
    IDENTITY_HEADER.encode(),
    b"authorization",
    b"host",
    b"expect",
    b"x-request-id",
    b"traceparent",
    b"x-forwarded-for",
    b"x-forwarded-proto",
    b"x-forwarded-host",
}


class _RouteLabel:
    """The metrics middleware labels these requests ``proxy:<front end>`` (not "unmatched")."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path


def forwarded_headers(scope: Scope) -> list[tuple[bytes, bytes]]:
    """The request's headers as the console gets them: cookies kept, the hop's own replaced."""
    raw: list[tuple[bytes, bytes]] = scope["headers"]
    named = {v.strip().lower() for k, v in raw if k == b"connection" for v in v.split(b",")}
    out = [(k, v) for k, v in raw if k not in _NOT_FORWARDED and k not in named]
    host = next((v for k, v in raw if k == b"host"), None)
    if host:
        out.append((b"x-forwarded-host", host))
    client = scope.get("client")
    if client:
        out.append((b"x-forwarded-for", client[0].encode()))
    out.append((b"x-forwarded-proto", scope.get("scheme", "http").encode()))
    out.append((b"x-request-id", (request_id_var.get() or new_request_id()).encode()))
    out.append((b"traceparent", child_traceparent(traceparent_var.get()).encode()))
    return out


async def forward_page(upstream: Forwarder, scope: Scope, receive: Receive, send: Send) -> None:
    scope["route"] = _RouteLabel(f"proxy:{upstream.name}")
    await upstream.forward(scope, receive, send, forwarded_headers(scope))
