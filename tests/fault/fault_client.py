"""A patient API client: every operation carries an Idempotency-Key and is retried until acknowledged.

Retried with the SAME key (the first try may have taken effect): transport errors, timeouts,
429 and 5xx. Retried with a NEW key: answers that say "not yet" because an event has not reached
the service yet (a 4xx means the try had no effect, so a fresh key cannot double anything).
Anything else is a rejection the workload did not expect, and fails the run: among them a 401 for
a token the gateway issued (restarts must not invalidate tokens), a 404 for something acknowledged.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

RETRY_SAME_KEY = {429, 500, 502, 503, 504}
# Answers that ask for a retry of the same request: the registry's "conflicted with a concurrent one".
RETRY_SAME_KEY_PROBLEMS = {(409, "conflict")}


@dataclass
class Rejection:
    op: str
    status: int
    body: str


@dataclass
class ClientStats:
    attempts: int = 0
    retried_same_key: int = 0
    retried_new_key: int = 0
    transport_errors: int = 0
    rejections: list[Rejection] = field(default_factory=list)


class GatewayClient:
    def __init__(self, base_url: str, secrets_by_client: dict[str, str], deadline: float) -> None:
        self.base_url = base_url
        self.secrets = secrets_by_client
        self.deadline = deadline  # time.monotonic() after which nothing is retried any more
        self.http = httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(20.0, connect=3.0))
        self.tokens: dict[str, str] = {}
        self.stats = ClientStats()
        self.last_answer: dict[str, str] = {}  # op -> what the last try got (for time-bound failures)

    async def close(self) -> None:
        await self.http.aclose()

    async def _token(self, client_id: str) -> str:
        while client_id not in self.tokens:
            self._check_deadline(f"token {client_id}")
            try:
                r = await self.http.post("/oauth2/token", data={"grant_type": "client_credentials"},
                                         auth=(client_id, self.secrets[client_id]))
            except httpx.TransportError:
                self.stats.transport_errors += 1
                await asyncio.sleep(0.3)
                continue
            if r.status_code == 200:
                self.tokens[client_id] = r.json()["access_token"]
            elif r.status_code in RETRY_SAME_KEY:
                await asyncio.sleep(0.3)
            else:
                raise AssertionError(f"token for {client_id}: {r.status_code} {r.text}")
        return self.tokens[client_id]

    def _check_deadline(self, what: str) -> None:
        if time.monotonic() > self.deadline:
            raise TimeoutError(f"time bound reached before {what} was acknowledged "
                               f"(last answer: {self.last_answer.get(what, 'none')})")

    async def get(self, client_id: str, path: str, **params: Any) -> httpx.Response:
        """A read, retried on transport errors and 5xx (reads have no effect)."""
        delay = 0.1
        while True:
            self._check_deadline(f"GET {path}")
            try:
                r = await self.http.get(path, params=params or None,
                                        headers={"Authorization": f"Bearer {await self._token(client_id)}"})
                if r.status_code not in RETRY_SAME_KEY:
                    return r
            except httpx.TransportError:
                self.stats.transport_errors += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)

    async def post(self, op: str, client_id: str, path: str, body: dict[str, Any],
                   not_yet: frozenset[tuple[int, str]] = frozenset()) -> dict[str, Any] | None:
        """POST until a 2xx; ``not_yet`` lists (status, problem slug) answers that mean "retry later,
        with a fresh key". Returns the acknowledged body, or None after an unexpected rejection."""
        key = f"fault-{uuid.uuid4().hex}"
        delay = 0.1
        while True:
            self._check_deadline(op)
            self.stats.attempts += 1
            headers = {"Authorization": f"Bearer {await self._token(client_id)}", "Idempotency-Key": key}
            try:
                r = await self.http.post(path, json=body, headers=headers)
            except httpx.TransportError as exc:
                self.last_answer[op] = repr(exc)
                self.stats.transport_errors += 1
                self.stats.retried_same_key += 1
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            self.last_answer[op] = f"{r.status_code} {r.text[:300]}"
            if 200 <= r.status_code < 300:
                return r.json() if r.content else {}
            if r.status_code in RETRY_SAME_KEY:
                self.stats.retried_same_key += 1
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            slug = _slug(r)
            if (r.status_code, slug) in RETRY_SAME_KEY_PROBLEMS:
                self.stats.retried_same_key += 1
                await asyncio.sleep(delay)
                continue
            if (r.status_code, slug) in not_yet or (r.status_code, "*") in not_yet:
                self.stats.retried_new_key += 1
                key = f"fault-{uuid.uuid4().hex}"
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            self.stats.rejections.append(Rejection(op, r.status_code, r.text[:500]))
            return None


def _slug(response: httpx.Response) -> str:
    try:
        problem_type = response.json().get("type", "")
    except ValueError:
        return ""
    return problem_type.rsplit(":", 1)[-1] if isinstance(problem_type, str) else ""
