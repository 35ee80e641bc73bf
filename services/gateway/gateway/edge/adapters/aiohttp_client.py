"""The proxy's upstream client on aiohttp (selectable; also what https:// service URLs use)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp

from gateway.edge.adapters.upstream_http import BadAnswer, ConnectFailed, TimedOut, UpstreamResponse


class AiohttpClient:
    def __init__(self, pool_size: int, connect_timeout: float, read_timeout: float) -> None:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=pool_size, limit_per_host=pool_size, enable_cleanup_closed=True),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=connect_timeout, sock_read=read_timeout),
            auto_decompress=False,  # pass bytes through untouched
            cookie_jar=aiohttp.DummyCookieJar(),
        )

    async def open(self, method: str, url: str, raw: list[tuple[bytes, bytes]], body: bytes) -> UpstreamResponse:
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
