"""Reading each service's own OpenAPI document: in-process (embedded) or over HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import orjson
from starlette.types import ASGIApp

from gateway.edge.adapters.upstream_http import UpstreamClient

FETCH_TIMEOUT = 5.0


class AsgiDocument:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def fetch(self) -> dict[str, Any]:
        async with asyncio.timeout(FETCH_TIMEOUT):
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://upstream") as http:
                response = await http.get("/openapi.json")
                response.raise_for_status()
                return response.json()


class HttpDocument:
    def __init__(self, client: UpstreamClient, base_url: str) -> None:
        self.client = client
        self.base_url = base_url

    async def fetch(self) -> dict[str, Any]:
        async with asyncio.timeout(FETCH_TIMEOUT):
            answer = await self.client.open("GET", self.base_url + "/openapi.json", [], b"")
            try:
                if answer.status != 200:
                    raise ValueError(f"status {answer.status}")
                return orjson.loads(b"".join([chunk async for chunk in answer.body]))
            finally:
                await answer.close()


ServiceDocument = AsgiDocument | HttpDocument
