"""``worker`` runs a service's relay, consumer and daemons in one process: all of them, and none
left running half-alive when one of them fails (the orchestrator must see the process end)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pytest
from dgplan_shared.worker import consumer_work, every_role_work, relay_work, roles_of


@dataclass
class _Loop:
    """A relay or consumer loop that records that it ran and whether it saw the end."""

    name: str
    ran: list[str]
    ended: list[str]

    async def run(self, stop: asyncio.Event) -> None:
        self.ran.append(self.name)
        try:
            await stop.wait()
        finally:
            self.ended.append(self.name)


@dataclass
class _Definition:
    name: str = "probe"
    subscriptions: tuple[str, ...] = ("probe.item.events",)
    daemons: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Runtime:
    definition: _Definition
    ran: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)

    def relay(self) -> _Loop:
        return _Loop("relay", self.ran, self.ended)

    def consumer(self) -> _Loop:
        return _Loop("consumer", self.ran, self.ended)


def test_the_roles_are_the_relay_the_consumer_when_subscribed_and_every_daemon() -> None:
    async def deliver(runtime: Any, stop: asyncio.Event) -> None: ...

    assert roles_of(_Definition(daemons={"deliver": deliver})) == {  # type: ignore[arg-type]
        "relay": relay_work, "consumer": consumer_work, "deliver": deliver}
    assert list(roles_of(_Definition(subscriptions=()))) == ["relay"]  # type: ignore[arg-type]


async def test_every_role_runs_until_stopped() -> None:
    ticks: list[int] = []

    async def scheduler(runtime: Any, stop: asyncio.Event) -> None:
        while not stop.is_set():
            ticks.append(1)
            await asyncio.sleep(0.01)

    runtime = _Runtime(_Definition(daemons={"scheduler": scheduler}))
    stop = asyncio.Event()
    worker = asyncio.create_task(every_role_work(runtime, stop))  # type: ignore[arg-type]
    await asyncio.sleep(0.1)
    assert sorted(runtime.ran) == ["consumer", "relay"] and ticks
    stop.set()
    await asyncio.wait_for(worker, 5)
    assert sorted(runtime.ended) == ["consumer", "relay"]


async def test_a_failing_daemon_ends_the_whole_worker_not_just_itself() -> None:
    async def broken(runtime: Any, stop: asyncio.Event) -> None:
        await asyncio.sleep(0.05)
        raise RuntimeError("the mail server's password was refused")

    runtime = _Runtime(_Definition(daemons={"deliver": broken}))
    with pytest.raises(ExceptionGroup) as failed:
        await asyncio.wait_for(every_role_work(runtime, asyncio.Event()), 5)  # type: ignore[arg-type]
    assert "password was refused" in str(failed.value.exceptions[0])
    assert sorted(runtime.ended) == ["consumer", "relay"]  # cancelled, not left running
