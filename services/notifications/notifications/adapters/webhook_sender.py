"""Sends one signed webhook over HTTP and reports what happened (never raises for the receiver's faults).

Connections go through a resolver that drops addresses the URL policy refuses, so the address
checked is the address connected to (a name that resolves to an internal address later is still
refused). Redirects are not followed: a 3xx is a failed attempt, as the specification says.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from dataclasses import dataclass
from datetime import datetime

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from dgplan_shared.errors import ProblemError
from notifications.adapters.signing import signature_header
from notifications.domain.url_policy import Allowlist, address_allowed, checked_url, is_internal

USER_AGENT = "dgplan-webhooks/1"


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    latency_ms: int
    retry_after: str | None
    error: str | None


class RefusedAddress(OSError):
    pass


class GuardedResolver(AbstractResolver):
    def __init__(self, allowlist: Allowlist) -> None:
        self.allowlist = allowlist
        self._inner = ThreadedResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        if self.allowlist.names_host(host):
            return found
        kept = [r for r in found if not is_internal(ipaddress.ip_address(r["host"]))
                or self.allowlist.names_address(ipaddress.ip_address(r["host"]))]
        if not kept:
            raise RefusedAddress(f"{host} resolves only to private, loopback, link-local or metadata addresses")
        return kept

    async def close(self) -> None:
        await self._inner.close()


class WebhookSender:
    def __init__(self, allowlist: Allowlist, timeout_seconds: float, connections_per_host: int) -> None:
        self.allowlist = allowlist
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._connections_per_host = connections_per_host
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(resolver=GuardedResolver(self.allowlist),
                                             limit_per_host=self._connections_per_host, limit=0)
            self._session = aiohttp.ClientSession(connector=connector, timeout=self.timeout)
        return self._session

    async def send(self, url: str, msg_id: str, body: str, signing_secrets: list[str],
                   now: datetime) -> SendResult:
        started = time.perf_counter()

        def elapsed() -> int:
            return int((time.perf_counter() - started) * 1000)

        try:
            target = checked_url(url, self.allowlist)
        except ProblemError as exc:
            return SendResult(None, 0, None, f"refused by the URL policy: {exc.detail}")
        literal = _literal(target.host)
        if literal is not None and not address_allowed(literal, target, self.allowlist):
            return SendResult(None, 0, None, "refused by the URL policy: internal address")
        if not signing_secrets:
            return SendResult(None, 0, None, "the endpoint has no signing secret")
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature_header(signing_secrets, msg_id, now, body),
        }
        try:
            async with self._http().post(url, data=body.encode(), headers=headers, allow_redirects=False) as answer:
                await answer.content.read(64 * 1024)  # drain a little so the connection can be reused
                return SendResult(answer.status, elapsed(), answer.headers.get("retry-after"), None)
        except asyncio.TimeoutError:
            return SendResult(None, elapsed(), None, "timed out")
        except (aiohttp.ClientError, OSError) as exc:
            return SendResult(None, elapsed(), None, f"{type(exc).__name__}: {exc}"[:500])

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
