"""ASGI middleware: request id, W3C trace context, body-size limit, request metrics.

Pure ASGI (not BaseHTTPMiddleware) because it sits on every request's hot path.
"""

from __future__ import annotations

import time

from prometheus_client import Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dgplan_shared.context import (
    child_traceparent,
    new_request_id,
    request_id_var,
    traceparent_var,
    valid_traceparent,
)
from dgplan_shared.problems import PROBLEM_JSON, problem_body
from dgplan_shared import tracing

import orjson

REQUEST_SECONDS = Histogram(
    "dgplan_http_request_duration_seconds",
    "HTTP request duration",
    ["service", "method", "route", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

REQUEST_ID_HEADER = b"x-request-id"


class _BodyTooLarge(Exception):
    pass


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, service: str, max_body_bytes: int = 1_048_576) -> None:
        self.app = app
        self.service = service
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming_id = headers.get(REQUEST_ID_HEADER, b"").decode("latin-1")
        request_id = incoming_id if 0 < len(incoming_id) <= 128 and incoming_id.isprintable() else new_request_id()
        parent = valid_traceparent(headers.get(b"traceparent", b"").decode("latin-1"))
        traceparent = parent or child_traceparent(None)
        rid_token = request_id_var.set(request_id)
        tp_token = traceparent_var.set(traceparent)

        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._too_large(scope, send, request_id)
            request_id_var.reset(rid_token)
            traceparent_var.reset(tp_token)
            return

        received = 0
        status_holder = {"status": 500}
        started = time.perf_counter()

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge()
            return message

        async def send_with_ids(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                out = list(message.get("headers", []))
                out.append((REQUEST_ID_HEADER, request_id.encode()))
                out.append((b"traceparent", traceparent.encode()))
                message = {**message, "headers": out}
            await send(message)

        try:
            # With tracing on, the request's SERVER span is the traceparent its events and forwarded
            # requests carry (and the response names); off, ``span`` hands the hand-made one back.
            # Opened here, the outermost layer, so the gateway's proxied requests have one too.
            with tracing.span(f"{scope['method']} {scope.get('path', '')}", tracing.SERVER, parent,
                              **{"dgplan.service": self.service, "http.request.method": scope["method"],
                                 "url.path": scope.get("path")}) as spanned:
                if spanned:
                    traceparent = spanned
                    traceparent_var.set(spanned)
                try:
                    await self.app(scope, limited_receive, send_with_ids)
                finally:
                    tracing.name_server_span(scope, status_holder["status"])
        except _BodyTooLarge:
            await self._too_large(scope, send, request_id)
            status_holder["status"] = 413
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            REQUEST_SECONDS.labels(self.service, scope["method"], template, str(status_holder["status"])).observe(
                time.perf_counter() - started
            )
            request_id_var.reset(rid_token)
            traceparent_var.reset(tp_token)

    async def _too_large(self, scope: Scope, send: Send, request_id: str) -> None:
        body = orjson.dumps(
            problem_body(
                413,
                "payload-too-large",
                "Request body too large",
                f"The body exceeds {self.max_body_bytes} bytes.",
                scope.get("path"),
            )
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (REQUEST_ID_HEADER, request_id.encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
