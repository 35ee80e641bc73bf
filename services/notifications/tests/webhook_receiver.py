"""A real HTTP receiver on 127.0.0.1 for delivery tests: records what it got, answers what it is told."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Received:
    headers: dict[str, str]
    body: str


@dataclass
class Receiver:
    # (request number from 1) -> (status, headers); default 204
    answer: Callable[[int], tuple[int, dict[str, str]]] = lambda n: (204, {})
    received: list[Received] = field(default_factory=list)
    delay: float = 0.0  # seconds each answer takes (to see concurrency)
    url: str = ""
    in_flight: int = 0
    max_in_flight: int = 0
    _runner: web.AppRunner | None = None

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.text()
        self.received.append(Received({k.lower(): v for k, v in request.headers.items()}, body))
        number = len(self.received)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1
        status, headers = self.answer(number)
        return web.Response(status=status, headers=headers)

    async def start(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hook", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/hook"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_for(self, count: int, timeout: float = 10.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.received) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"expected {count} requests, got {len(self.received)}")
            await asyncio.sleep(0.02)
