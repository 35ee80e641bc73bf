"""HTTP clients the proxy can use to reach a service, behind one small interface.

Measured with bench/gateway_bench.py at 32 concurrent connections: the lean client
(``lean_http_client``, the default) costs the gateway the least CPU per request, aiohttp about
half as much again, and httpx's pool several milliseconds per request. aiohttp and httpx stay
selectable (``GATEWAY_UPSTREAM_CLIENT``) for comparison and as a fallback.
"""

from __future__ import annotations

from gateway.edge.adapters.aiohttp_client import AiohttpClient
from gateway.edge.adapters.httpx_client import HttpxClient
from gateway.edge.adapters.lean_http_client import LeanHttpClient
from gateway.edge.adapters.upstream_http import UpstreamClient


def build_client(kind: str, pool_size: int, connect_timeout: float, read_timeout: float) -> UpstreamClient:
    if kind == "lean":
        return LeanHttpClient(pool_size, connect_timeout, read_timeout)
    if kind == "aiohttp":
        return AiohttpClient(pool_size, connect_timeout, read_timeout)
    return HttpxClient(pool_size, connect_timeout, read_timeout)
