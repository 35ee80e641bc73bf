"""What this process keeps of the registry's read answers, so that a repeated read costs no query.

- settled versions' facts (plan, status: ``domain.settled_versions``), by version id: enough to
  decide, on every request, whether the caller may read the version without asking the database;
- the bytes of settled versions' answers (document, diff), by (what, version ids, audience), with
  their strong ETag: built once, never stale, since what they are built from cannot change;
- plan lists, by (audience, query) (and the raw query strings that named them), for ``list_ttl`` seconds: a list changes with writes this
  process may not see (a decision applied by the consumer, another replica), so it is only kept
  briefly, and dropped at once when this process answers a write (``forget_lists``).

Bounded least-recently-used maps (entries and bytes): a small ``OrderedDict`` rather than a new
dependency (no cache library is installed); one per app, never module-global, so that tests'
rolled-back databases and several apps in one process never share what they keep. Access
decisions are never kept: callers check them on every request from the kept facts.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

V = TypeVar("V")


@dataclass(frozen=True)
class Representation:
    body: bytes
    etag: str  # strong: a hash of exactly these bytes

    @classmethod
    def of(cls, body: bytes) -> Representation:
        return cls(body, f'"{hashlib.sha256(body).hexdigest()[:32]}"')


@dataclass(frozen=True)
class SettledVersion:
    plan_id: str
    version_id: str
    status: str


class BoundedLru(Generic[V]):
    """At most ``max_entries`` values and about ``max_bytes`` of them; the least recently used go first."""

    def __init__(self, max_entries: int, max_bytes: int = 0, size: Callable[[V], int] = lambda v: 0) -> None:
        self.max_entries, self.max_bytes, self._size = max_entries, max_bytes, size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self.bytes = 0

    def get(self, key: Hashable) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: Hashable, value: V) -> None:
        if self.max_entries <= 0:
            return
        self.pop(key)
        self._items[key] = value
        self.bytes += self._size(value)
        while self._items and (len(self._items) > self.max_entries or (self.max_bytes and self.bytes > self.max_bytes)):
            self.pop(next(iter(self._items)))

    def pop(self, key: Hashable) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self.bytes -= self._size(old)

    def clear(self) -> None:
        self._items.clear()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class KeptReads:
    max_entries: int = 512
    max_bytes: int = 64 * 2**20
    list_ttl: float = 1.0
    clock: Callable[[], float] = time.monotonic
    versions: BoundedLru[SettledVersion] = field(init=False)
    answers: BoundedLru[Representation] = field(init=False)
    lists: BoundedLru[tuple[float, Representation]] = field(init=False)
    # (privileged, raw query string) -> the list's key, for query strings a route has validated.
    list_keys: BoundedLru[Hashable] = field(init=False)
    # Lists being built, so that callers arriving meanwhile wait for that one build instead of each
    # running the query when a kept list expires under load (None: the build failed, build your own).
    list_builds: dict[Hashable, asyncio.Future[Representation | None]] = field(default_factory=dict)
    generation: int = 0  # of the lists: a list built before a write is not kept after it

    def __post_init__(self) -> None:
        self.versions = BoundedLru(self.max_entries * 4)
        self.answers = BoundedLru(self.max_entries, self.max_bytes, lambda r: len(r.body))
        self.lists = BoundedLru(self.max_entries, self.max_bytes // 4, lambda kept: len(kept[1].body))
        self.list_keys = BoundedLru(self.max_entries)

    def settled_version(self, plan_id: str, version_id: str) -> SettledVersion | None:
        """The kept facts of a settled version of this plan (None: unknown here, ask the database)."""
        found = self.versions.get(version_id)
        return found if found is not None and found.plan_id == plan_id else None

    def remember_version(self, version: SettledVersion) -> None:
        self.versions.put(version.version_id, version)

    def kept_list(self, key: Hashable) -> tuple[Representation, bool] | None:
        """The kept list and whether it is still fresh (an expired one stays until rebuilt or dropped)."""
        kept = self.lists.get(key)
        return None if kept is None else (kept[1], kept[0] > self.clock())

    def keep_list(self, key: Hashable, answer: Representation, generation: int) -> None:
        if self.list_ttl > 0 and generation == self.generation:
            self.lists.put(key, (self.clock() + self.list_ttl, answer))

    def forget_lists(self) -> None:
        self.generation += 1
        self.lists.clear()
        self.list_builds.clear()  # builds under way may predate the write: later callers build anew
