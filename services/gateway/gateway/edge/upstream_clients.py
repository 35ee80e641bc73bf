"""HTTP clients the proxy can use to reach a service, behind one small interface.

Measured with bench/gateway_bench.py at 32 concurrent connections: the lean client
(``lean_http_client``, the default) costs the gateway the least CPU per request, aiohttp about
half as much again, and httpx's pool several milliseconds per request. aiohttp and httpx stay
selectable (``GATEWAY_UPSTREAM_CLIENT``) for comparison and as a fallback.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol


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


class AiohttpClient:
    def __init__(self, pool_size: int, connect_timeout: float, read_timeout: float) -> None:
        import aiohttp

        self._aiohttp = aiohttp
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=pool_size, limit_per_host=pool_size, enable_cleanup_closed=True),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=connect_timeout, sock_read=read_timeout),
            auto_decompress=False,  # pass bytes through untouched
            cookie_jar=aiohttp.DummyCookieJar(),
        )

    async def open(self, method: str, url: str, raw: list[tuple[bytes, bytes]], body: bytes) -> UpstreamResponse:
        aiohttp = self._aiohttp
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]
        if not any(name.lower() == "accept-encoding" for name, _ in headers):
            # Otherwise aiohttp asks for gzip on the caller's behalf and the caller gets bytes it
            # did not ask for (the proxy passes bodies through undecoded).
            headers = [*headers, ("Accept-Encoding", "identity")]
        try:
            response = await self._session.request(
                method, url, headers=headers, data=body or None, allow_redirects=False
            )
        except TimeoutError as exc:  # aiohttp's timeouts subclass it
            raise TimedOut(str(exc) or "timed out") from exc
        except aiohttp.ClientConnectorError as exc:
            raise ConnectFailed(str(exc)) from exc
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as exc:
            raise ConnectFailed(str(exc) or "connection dropped") from exc
        except aiohttp.ClientError as exc:
            raise BadAnswer(str(exc) or type(exc).__name__) from exc

        async def chunks() -> AsyncIterator[bytes]:
            try:
                async for chunk in response.content.iter_any():
                    yield chunk
            except TimeoutError as exc:
                raise TimedOut("timed out reading the answer") from exc
            except aiohttp.ClientError as exc:
                raise BadAnswer(str(exc) or type(exc).__name__) from exc

        async def release() -> None:
            response.release()

        async def read_all() -> bytes:
            try:
                return await response.read()
            except TimeoutError as exc:
                raise TimedOut("timed out reading the answer") from exc
            except aiohttp.ClientError as exc:
                raise BadAnswer(str(exc) or type(exc).__name__) from exc

        return UpstreamResponse(response.status, list(response.raw_headers), chunks(), release, read_all)

    async def close(self) -> None:
        await self._session.close()


class HttpxClient:
    def __init__(self, pool_size: int, connect_timeout: float, read_timeout: float) -> None:
        import httpx

        self._httpx = httpx
        self._client = httpx.AsyncClient(
            limits=httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size),
            timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout, write=read_timeout, pool=read_timeout),
            follow_redirects=False,
            trust_env=False,
        )

    async def open(self, method: str, url: str, headers: list[tuple[bytes, bytes]], body: bytes) -> UpstreamResponse:
        httpx = self._httpx
        request = self._client.build_request(method, url, headers=headers, content=body or None)
        try:
            response = await self._client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise TimedOut(str(exc) or "timed out") from exc
        except (httpx.ConnectError, httpx.RemoteProtocolError) as exc:
            raise ConnectFailed(str(exc) or "connection failed") from exc
        except httpx.TransportError as exc:
            raise BadAnswer(str(exc) or type(exc).__name__) from exc

        async def chunks() -> AsyncIterator[bytes]:
            try:
                async for chunk in response.aiter_raw():
                    yield chunk
            except httpx.TimeoutException as exc:
                raise TimedOut("timed out reading the answer") from exc
            except httpx.TransportError as exc:
                raise BadAnswer(str(exc) or type(exc).__name__) from exc

        async def read_all() -> bytes:
            return b"".join([chunk async for chunk in chunks()])

        return UpstreamResponse(response.status_code, list(response.headers.raw), chunks(), response.aclose, read_all)

    async def close(self) -> None:
        await self._client.aclose()


def build_client(kind: str, pool_size: int, connect_timeout: float, read_timeout: float) -> UpstreamClient:
    if kind == "lean":
        from gateway.edge.lean_http_client import LeanHttpClient

        return LeanHttpClient(pool_size, connect_timeout, read_timeout)
    if kind == "aiohttp":
        try:
            return AiohttpClient(pool_size, connect_timeout, read_timeout)
        except ImportError:  # pragma: no cover - aiohttp is a declared dependency; degrade, do not fail
            pass
    return HttpxClient(pool_size, connect_timeout, read_timeout)
