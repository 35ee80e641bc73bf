"""The in-process store of kept answers: bounded, least recently used first, lists kept briefly,
one rebuild of an expired list at a time, and nothing built before a write kept after it."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from plan_registry.application import kept_plan_list, list_plans
from plan_registry.application.kept_representations import BoundedLru, KeptReads, Representation


def test_the_lru_keeps_at_most_its_entries_and_bytes_dropping_the_least_recently_used() -> None:
    lru: BoundedLru[bytes] = BoundedLru(3, max_bytes=10, size=len)
    for key in "abc":
        lru.put(key, b"xx")
    assert lru.get("a") == b"xx"  # used: "b" is now the oldest
    lru.put("d", b"xx")
    assert lru.get("b") is None and len(lru) == 3
    lru.put("e", b"x" * 8)  # 2 + 2 + 2 + 8 > 10: the oldest go until it fits
    assert lru.bytes <= 10 and lru.get("e") is not None
    assert BoundedLru(0).put("k", 1) is None and len(BoundedLru(0)) == 0


def test_a_representation_has_a_strong_etag_of_its_bytes() -> None:
    a, b = Representation.of(b"{}"), Representation.of(b"[]")
    assert a.etag.startswith('"') and not a.etag.startswith("W/") and a.etag != b.etag
    assert Representation.of(b"{}") == a


class CountingUow:
    def __init__(self) -> None:
        self.opened = 0
        self.release = asyncio.Event()
        self.release.set()

    @asynccontextmanager
    async def __call__(self):  # type: ignore[no-untyped-def]
        self.opened += 1
        await self.release.wait()
        yield self


async def test_lists_are_kept_for_their_ttl_and_rebuilt_once_at_a_time(monkeypatch) -> None:
    pages = iter(range(100))

    async def page(query, uow):  # type: ignore[no-untyped-def]
        return {"items": [next(pages)], "next_cursor": None}

    monkeypatch.setattr(list_plans, "handle", page)
    now = [0.0]
    kept = KeptReads(list_ttl=1.0, clock=lambda: now[0])
    uow = CountingUow()
    query = list_plans.ListPlans(None)
    first = await kept_plan_list.handle(query, uow, kept)
    assert await kept_plan_list.handle(query, uow, kept) == first and uow.opened == 1

    now[0] = 2.0  # expired: one caller rebuilds, the others meanwhile get the expired list
    uow.release.clear()
    rebuilding = asyncio.create_task(kept_plan_list.handle(query, uow, kept))
    await asyncio.sleep(0)
    assert await kept_plan_list.handle(query, uow, kept) == first
    uow.release.set()
    second = await rebuilding
    assert second != first and uow.opened == 2
    assert await kept_plan_list.handle(query, uow, kept) == second


async def test_a_list_built_before_a_write_is_not_kept_after_it(monkeypatch) -> None:
    async def page(query, uow):  # type: ignore[no-untyped-def]
        kept.forget_lists()  # a write answered while the list was being read
        return {"items": [], "next_cursor": None}

    monkeypatch.setattr(list_plans, "handle", page)
    kept = KeptReads(list_ttl=60)
    await kept_plan_list.handle(list_plans.ListPlans(None), CountingUow(), kept)
    assert len(kept.lists) == 0
