"""The console's only source of data: the gateway's public ``/api/v1``, called with the signed-in
person's bearer token (or none, as the public). Every refusal becomes an ApiProblem carrying the
problem+json title and detail, which the pages show as they are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx


# One TLS context for the process: a client made without one loads the CA bundle again (about 60 ms
# of CPU each time, measured by bench/console_board.py; a board page makes ten API calls).
_TLS = httpx.create_ssl_context()


class ApiProblem(Exception):
    def __init__(self, status: int, title: str, detail: str | None = None) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status, self.title, self.detail = status, title, detail


def _problem(response: httpx.Response) -> ApiProblem:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "title" in body:
        return ApiProblem(response.status_code, str(body["title"]), body.get("detail"))
    return ApiProblem(response.status_code, response.reason_phrase or f"HTTP {response.status_code}", None)


@dataclass(frozen=True)
class Download:
    content: bytes
    media_type: str
    disposition: str | None


class GatewayClient:
    def __init__(self, base_url: str, token: str | None, timeout: float,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.transport = transport

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    async def _exchange(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if not path.startswith("/api/v1/"):
            raise ValueError("the console calls the gateway's public API only")
        headers = {**self._headers(), **kwargs.pop("headers", {})}
        try:
            async with httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout, transport=self.transport,
                                         verify=_TLS) as http:
                response = await http.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise ApiProblem(502, "The gateway could not be reached", str(exc) or type(exc).__name__) from exc
        if response.status_code >= 400:
            raise _problem(response)
        return response

    async def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self._exchange(method, path, **kwargs)
        return response.json() if response.content else None

    async def get_tagged(self, path: str) -> tuple[Any, str | None]:
        """A resource and its ETag (what a later If-Match must name)."""
        response = await self._exchange("GET", path)
        return response.json(), response.headers.get("etag")

    async def download(self, path: str, params: dict[str, Any] | None = None) -> Download:
        """A file the API offers (XLSX/CSV), fetched with the person's token for the console to pass on."""
        response = await self._exchange("GET", path, params=params, headers={"Accept": "*/*"})
        return Download(response.content, response.headers.get("content-type", "application/octet-stream"),
                        response.headers.get("content-disposition"))

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return await self._send("GET", path, params=params)

    async def all_items(self, path: str, params: dict[str, Any] | None = None, limit: int = 200) -> list[Any]:
        """Every page of a cursor-paginated list."""
        items: list[Any] = []
        cursor = None
        while True:
            page = await self.get(path, {**(params or {}), "limit": limit, **({"cursor": cursor} if cursor else {})})
            items.extend(page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return items

    async def patch(self, path: str, body: dict[str, Any], if_match: str) -> Any:
        """A change of what was read: If-Match names the ETag the person saw (a 412 when it moved)."""
        return await self._send("PATCH", path, json=body, headers={"If-Match": if_match})

    async def post(self, path: str, body: dict[str, Any], idempotency_key: str | None = None,
                   if_match: str | None = None) -> Any:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        if if_match:
            headers["If-Match"] = if_match
        return await self._send("POST", path, json=body, headers=headers)
