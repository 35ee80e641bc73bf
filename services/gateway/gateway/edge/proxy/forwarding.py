"""Forwarding a request to the service that owns it: in-process (embedded) or over HTTP.

Pure ASGI and streaming: the response body is relayed chunk by chunk, never buffered. The request
body is buffered (at most the 1 MiB the request middleware allows) so an idempotent request can
be retried.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.edge.domain.access_policy import READ_METHODS
from gateway.edge.domain.circuit import Circuit
from gateway.edge.proxy.problems import send_problem
from gateway.edge.adapters.upstream_http import BadAnswer, ConnectFailed, TimedOut, UpstreamClient

log = logging.getLogger("gateway.edge.proxy")

# RFC 9110 §7.6.1 hop-by-hop headers, plus those the gateway sets itself on the way out.
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"trailers",
        b"transfer-encoding",
        b"upgrade",
    }
)
_NOT_FROM_UPSTREAM = HOP_BY_HOP | {b"x-request-id", b"traceparent", b"date", b"server"}


def response_headers(raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    named = {v.strip().lower() for k, v in raw if k.lower() == b"connection" for v in v.split(b",")}
    return [(k, v) for k, v in raw if (lk := k.lower()) not in _NOT_FROM_UPSTREAM and lk not in named]


def is_retryable(method: str, headers: list[tuple[bytes, bytes]]) -> bool:
    return method in READ_METHODS or any(k == b"idempotency-key" for k, _ in headers)


class AsgiUpstream:
    """A service app in the same process (embedded mode): called directly, no sockets."""

    def __init__(self, name: str, app: ASGIApp, timeout: float) -> None:
        self.name = name
        self.app = app
        self.timeout = timeout

    async def forward(self, scope: Scope, receive: Receive, send: Send, headers: list[tuple[bytes, bytes]]) -> None:
        inner: dict[str, Any] = {
            k: v for k, v in scope.items() if k not in ("app", "router", "route", "endpoint", "path_params", "state")
        }
        inner["headers"] = headers
        started = False

        async def tracked_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": response_headers(list(message.get("headers", [])))}
            await send(message)

        try:
            async with asyncio.timeout(self.timeout):
                await self.app(inner, receive, tracked_send)
        except TimeoutError:
            if started:
                raise
            await send_problem(send, 504, f"{self.name} did not answer in time.", scope["path"], upstream=self.name)
        except Exception:
            if started:  # the service already answered (its own 500); nothing more to say
                log.exception("upstream %s failed after answering", self.name)
                return
            log.exception("upstream %s failed", self.name)
            await send_problem(send, 502, f"{self.name} failed to answer.", scope["path"], upstream=self.name)


class HttpUpstream:
    """A service over HTTP (distributed mode): bounded timeouts, retries of idempotent requests
    only, a circuit breaker, problem+json 502/503/504 when the service fails."""

    def __init__(
        self,
        name: str,
        base_url: str,
        client: UpstreamClient,
        circuit: Circuit,
        retries: int,
        backoff: float,
    ) -> None:
        self.name = name
        self.base_url = base_url
        self.client = client
        self.circuit = circuit
        self.retries = retries
        self.backoff = backoff

    async def forward(self, scope: Scope, receive: Receive, send: Send, headers: list[tuple[bytes, bytes]]) -> None:
        method = scope["method"]
        body = await _read_body(receive)
        target = scope.get("raw_path") or scope["path"].encode()
        url = self.base_url + target.decode("latin-1")
        if scope.get("query_string"):
            url += "?" + scope["query_string"].decode("latin-1")
        out = [(k, v) for k, v in headers if k != b"content-length"]
        attempts = 1 + (self.retries if is_retryable(method, headers) else 0)
        instance = scope["path"]
        failure = (503, f"{self.name} is unavailable.")
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(self.backoff * (2 ** (attempt - 1)))
            if not self.circuit.allows():
                await send_problem(
                    send,
                    503,
                    f"{self.name} is unavailable (circuit open).",
                    instance,
                    headers={"Retry-After": str(max(1, int(self.circuit.open_seconds)))},
                    upstream=self.name,
                )
                return
            try:
                response = await self.client.open(method, url, out, body)
            except TimedOut as exc:
                self.circuit.failed()
                failure = (504, f"{self.name} did not answer in time ({exc}).")
                continue
            except ConnectFailed as exc:
                self.circuit.failed()
                failure = (502, f"{self.name} could not be reached ({exc}).")
                continue
            except BadAnswer as exc:
                self.circuit.failed()
                failure = (502, f"{self.name} gave an invalid answer ({exc}).")
                continue
            self.circuit.succeeded()
            await _relay(response, send, self.name, instance)
            return
        await send_problem(send, failure[0], failure[1], instance, upstream=self.name, attempts=attempts)


_BUFFER_UP_TO = 65536


def _declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def _relay(response: Any, send: Send, name: str, instance: str) -> None:
    try:
        headers = response_headers(response.headers)
        length = _declared_length(headers)
        if length is not None and length <= _BUFFER_UP_TO and response.read_all is not None:
            # Read before the start message, so a failure here is still a clean 502/504.
            try:
                body = await response.read_all()
            except TimedOut as exc:
                await send_problem(
                    send, 504, f"{name} did not finish its answer in time ({exc}).", instance, upstream=name
                )
                return
            except BadAnswer as exc:
                await send_problem(send, 502, f"{name} gave an invalid answer ({exc}).", instance, upstream=name)
                return
            await send({"type": "http.response.start", "status": response.status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        async for chunk in response.body:
            if chunk:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    finally:
        await response.close()


async def _read_body(receive: Receive) -> bytes:
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)
