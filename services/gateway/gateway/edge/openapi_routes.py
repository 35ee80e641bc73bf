"""``GET /openapi.json`` (the merged document, cached) and ``GET /docs`` (offline HTML)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
import orjson
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from dgplan_shared.service import get_runtime
from gateway.edge.docs_page import render
from gateway.edge.openapi_merge import merge
from gateway.edge.proxy import AsgiUpstream, HttpUpstream
from gateway.edge.state import EdgeState, edge_state

log = logging.getLogger("gateway.edge.openapi")
router = APIRouter(tags=["documentation"])
_FETCH_TIMEOUT = 5.0
_RETRY_INCOMPLETE_AFTER = 5.0  # a document missing a service is rebuilt soon, not after the full cache time


async def _fetch(upstream: AsgiUpstream | HttpUpstream) -> dict[str, Any]:
    async with asyncio.timeout(_FETCH_TIMEOUT):
        if isinstance(upstream, AsgiUpstream):
            transport = httpx.ASGITransport(app=upstream.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://upstream") as http:
                response = await http.get("/openapi.json")
                response.raise_for_status()
                return response.json()
        answer = await upstream.client.open("GET", upstream.base_url + "/openapi.json", [], b"")
        try:
            if answer.status != 200:
                raise ValueError(f"status {answer.status}")
            return orjson.loads(b"".join([chunk async for chunk in answer.body]))
        finally:
            await answer.close()


async def merged_document(edge: EdgeState, own: dict[str, Any]) -> dict[str, Any]:
    cache = edge.openapi_cache
    now = time.monotonic()
    if cache.get("expires", 0.0) > now:
        return cache["document"]
    names = list(edge.upstreams)
    results = await asyncio.gather(*(_fetch(edge.upstreams[n]) for n in names), return_exceptions=True)
    documents, unavailable = {}, []
    for name, result in zip(names, results):
        if isinstance(result, BaseException):
            log.warning("OpenAPI of %s unavailable: %r", name, result)
            unavailable.append(name)
        else:
            documents[name] = result
    document = merge(own, documents, unavailable)
    ttl = _RETRY_INCOMPLETE_AFTER if unavailable else edge.settings.openapi_cache_seconds
    cache.update(document=document, body=orjson.dumps(document), expires=now + ttl)
    return document


@router.get("/openapi.json", summary="The merged OpenAPI document of every service", include_in_schema=False)
async def openapi(request: Request) -> Response:
    edge = edge_state(get_runtime(request))
    await merged_document(edge, request.app.openapi())
    return Response(edge.openapi_cache["body"], media_type="application/json")


@router.get("/docs", summary="API documentation (offline HTML)", include_in_schema=False, response_class=HTMLResponse)
async def docs(request: Request) -> HTMLResponse:
    edge = edge_state(get_runtime(request))
    return HTMLResponse(render(await merged_document(edge, request.app.openapi())))
