"""What the proxy needs from an HTTP client that reaches a service: one small interface, its
errors and its answer. The clients (``lean_http_client``, ``aiohttp_client``, ``httpx_client``)
implement it; ``upstream_clients.build_client`` picks one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.types import Receive, Scope, Send


class ConnectFailed(Exception):
    """The service could not be reached (refused, unresolvable, reset before an answer)."""


class TimedOut(Exception):
    """The service did not connect or answer in time."""


class BadAnswer(Exception):
    """The service answered something that is not HTTP (or dropped the connection mid-answer)."""


@dataclass
class UpstreamResponse:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: AsyncIterator[bytes]
    _release: Any
    # For a small answer of known length: the whole body at once (one ASGI message instead of a
    # stream of them: fewer writes on the hot path).
    read_all: Any = None

    async def close(self) -> None:
        await self._release()


class UpstreamClient(Protocol):
    async def open(
        self, method: str, url: str, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> UpstreamResponse: ...

    async def close(self) -> None: ...


class Forwarder(Protocol):
    """Passes a request on to one service and relays its answer (``proxy.forwarding``)."""

    name: str

    async def forward(self, scope: Scope, receive: Receive, send: Send, headers: list[tuple[bytes, bytes]]) -> None: ...
