"""Wake the outbox relay when its service commits events, instead of polling the outbox every
50 ms (issue 18: relays that wake, not poll).

Two signals, both best effort, with a slow poll kept as the safety net:

- **In the process**: a unit of work that committed events sets the relay's event for its
  service. That covers the embedded default (API, consumers and relay in one process, SQLite).
- **Across processes, on PostgreSQL**: the unit of work sends ``pg_notify`` in the transaction
  (PostgreSQL delivers it only if and when the transaction commits), and the relay ``LISTEN``s on
  one connection it keeps. A lost connection falls back to the fast poll until it is back.

A missed signal costs at most the safety poll's delay, never an event: the outbox row is the
truth, the signal only says "look now".
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from dgplan_shared.db.engine import Database

log = logging.getLogger("dgplan.relay")

# How often a relay retries LISTEN after losing its connection (it polls fast meanwhile).
_RELISTEN_SECONDS = 5.0

_local: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}


def channel_for(service: str) -> str:
    """The NOTIFY channel of a service's outbox (an SQL identifier: lower case, no punctuation)."""
    return "dgplan_outbox_" + re.sub(r"[^a-z0-9_]", "_", service.lower())


def committed(service: str) -> None:
    """A unit of work of ``service`` committed events: wake its relays in this process."""
    for loop, event in list(_local.get(service, ())):
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is running:
            event.set()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(event.set)  # a relay on another thread's loop (tests' suites)


class OutboxWakeup:
    """What a relay waits on between batches: its service's commits, ``stop``, or the timeout."""

    def __init__(self, service: str, db: Database) -> None:
        self.service = service
        self.db = db
        self.channel = channel_for(service)
        self._event = asyncio.Event()
        self._entry: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None
        self._connection: AsyncConnection | None = None
        self._listening = False
        self._next_listen = 0.0

    @property
    def complete(self) -> bool:
        """Whether every commit that matters reaches this relay as a signal: on PostgreSQL only
        while LISTEN holds (other processes commit too); on SQLite the in-process signal is all
        there is (the embedded default runs everything in one process)."""
        return self._listening if self.db.is_postgres else True

    async def start(self) -> None:
        self._entry = (asyncio.get_running_loop(), self._event)
        _local.setdefault(self.service, set()).add(self._entry)
        await self._listen()

    async def close(self) -> None:
        if self._entry is not None:
            _local.get(self.service, set()).discard(self._entry)
            self._entry = None
        await self._unlisten()

    async def wait(self, stop: asyncio.Event, timeout: float) -> None:
        """Return when events were committed, ``stop`` is set, or ``timeout`` passed."""
        if self.db.is_postgres and not self._listening and time.monotonic() >= self._next_listen:
            await self._listen()
        if self._event.is_set() or stop.is_set():
            self._event.clear()
            return
        woken = asyncio.ensure_future(self._event.wait())
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({woken, stopped}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (woken, stopped):
                task.cancel()
        self._event.clear()

    def _notified(self, *_: Any) -> None:
        self._event.set()

    def _lost(self, *_: Any) -> None:
        self._listening = False
        self._connection = None
        self._next_listen = time.monotonic() + _RELISTEN_SECONDS
        self._event.set()  # look once now: commits during the loss were signalled to no one

    async def _listen(self) -> None:
        if not self.db.is_postgres:
            return
        try:
            connection = await self.db.engine.connect()
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            await driver.add_listener(self.channel, self._notified)
            driver.add_termination_listener(self._lost)
        except Exception as exc:  # noqa: BLE001 - the relay polls fast until LISTEN works again
            self._next_listen = time.monotonic() + _RELISTEN_SECONDS
            log.debug("outbox LISTEN unavailable; polling", extra={"error": repr(exc), "channel": self.channel})
            return
        self._connection = connection
        self._listening = True
        self._event.set()  # events committed before LISTEN began were not signalled: look once

    async def _unlisten(self) -> None:
        connection, self._connection, self._listening = self._connection, None, False
        if connection is None:
            return
        try:
            raw = await connection.get_raw_connection()
            await raw.driver_connection.remove_listener(self.channel, self._notified)
            raw.driver_connection.remove_termination_listener(self._lost)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        await connection.close()
