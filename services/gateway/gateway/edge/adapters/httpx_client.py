"""The proxy's upstream client on httpx (selectable for comparison; measured slowest)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from gateway.edge.adapters.upstream_http import BadAnswer, ConnectFailed, TimedOut, UpstreamResponse


class HttpxClient:
    def __init__(self, pool_size: int, connect_timeout: float, read_timeout: float) -> None:
        self._client = httpx.AsyncClient(
            limits=httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size),
            timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout, write=read_timeout, pool=read_timeout),
            follow_redirects=False,
            trust_env=False,
        )

    async def open(self, method: str, url: str, headers: list[tuple[bytes, bytes]], body: bytes) -> UpstreamResponse:
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
