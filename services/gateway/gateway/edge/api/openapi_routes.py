"""``GET /openapi.json`` (the merged document, cached) and ``GET /docs`` (offline HTML)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from gateway.edge.api.deps import edge
from gateway.edge.api.docs_page import render
from gateway.edge.application import merged_openapi

router = APIRouter(tags=["documentation"])


async def _merged(request: Request) -> tuple[dict, bytes]:  # type: ignore[type-arg]
    state = edge(request)
    query = merged_openapi.MergedOpenApi(request.app.openapi(), state.settings.openapi_cache_seconds)
    return await merged_openapi.handle(query, state.documents, state.openapi_cache)


@router.get("/openapi.json", summary="The merged OpenAPI document of every service", include_in_schema=False)
async def openapi(request: Request) -> Response:
    _, body = await _merged(request)
    return Response(body, media_type="application/json")


@router.get("/docs", summary="API documentation (offline HTML)", include_in_schema=False, response_class=HTMLResponse)
async def docs(request: Request) -> HTMLResponse:
    document, _ = await _merged(request)
    return HTMLResponse(render(document))
