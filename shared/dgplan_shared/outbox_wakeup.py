"""Wake the outbox relay when its service commits events, instead of polling the outbox every
50 ms (issue 18: relays that wake, not poll); the same for any other durable schedule a daemon
works (notifications' webhook deliveries), under a key of its own.

Two signals, both best effort, with a slow poll kept as the safety net:

- **In the process**: a unit of work that committed events sets the relay's event for its
  service. That covers the embedded default (API, consumers and relay in one process, SQLite).
- **Across processes, on PostgreSQL**: the unit of work sends ``pg_notify`` in the transaction
  (PostgreSQL delivers it only if and when the transaction commits), and the relay ``LISTEN``s on
  one connection it keeps. A lost connection falls back to the fast poll until it is back.

A missed signal costs at most the safety poll's delay, never an event: the outbox row is the
truth, the signal only says "look now".

A wake-up key is a service's name for its outbox, or ``<service>.<schedule>`` for another
schedule; a unit of work raises one with ``uow.wake(key)`` (its outbox's is raised by publishing).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from dgplan_shared.db.engine import Database

log = logging.getLogger("dgplan.relay")

# How often a relay retries LISTEN after losing its connection (it polls fast meanwhile).
_RELISTEN_SECONDS = 5.0

_local: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}


def _identifier(text: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", text.lower())  # an SQL identifier: lower case, no punctuation


def channel_for(key: str) -> str:
    """The NOTIFY channel of a wake-up key: ``dgplan_outbox_<service>`` for a service's outbox,
    ``dgplan_<service>_<schedule>`` for another schedule."""
    if "." in key:
        return "dgplan_" + _identifier(key)
    return "dgplan_outbox_" + _identifier(key)


def committed(key: str) -> None:
    """A unit of work committed what ``key``'s waiters work on: wake them in this process."""
    for loop, event in list(_local.get(key, ())):
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is running:
            event.set()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(event.set)  # a relay on another thread's loop (tests' suites)


class CommitWakeup:
    """What a relay (or a daemon) waits on between batches: the commits of its key, ``stop``, or
    the timeout."""

    def __init__(self, key: str, db: Database) -> None:
        self.key = key
        self.db = db
        self.channel = channel_for(key)
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
        _local.setdefault(self.key, set()).add(self._entry)
        await self._listen()

    async def close(self) -> None:
        if self._entry is not None:
            _local.get(self.key, set()).discard(self._entry)
            self._entry = None
        await self._unlisten()

    async def wait(self, stop: asyncio.Event, timeout: float, also: Iterable[asyncio.Future[Any]] = ()) -> None:
        """Return when the key's work was committed, ``stop`` is set, one of ``also`` is done, or
        ``timeout`` passed."""
        if self.db.is_postgres and not self._listening and time.monotonic() >= self._next_listen:
            await self._listen()
        if self._event.is_set() or stop.is_set():
            self._event.clear()
            return
        woken = asyncio.ensure_future(self._event.wait())
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({woken, stopped, *also}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
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
