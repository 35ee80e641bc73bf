"""A restarted (or new) gateway replica meets many valid tokens at once: every one must verify,
not only the request that happened to trigger the reload of the signing keys."""

from __future__ import annotations

import asyncio

import pytest

from dgplan_shared.db.engine import Database
from gateway.edge.adapters.signing_keys import KeyRing


async def test_concurrent_first_lookups_of_a_stored_key_all_find_it(db):  # type: ignore[no-untyped-def]
    issuing = KeyRing(db)
    kid = (await issuing.active()).kid

    restarted = KeyRing(db)  # a new process: nothing cached yet
    found = await asyncio.gather(*(restarted.find(kid) for _ in range(20)))

    assert all(key is not None and key.kid == kid for key in found)


async def test_an_unknown_kid_is_refused_and_does_not_reload_on_every_request(db):  # type: ignore[no-untyped-def]
    ring = KeyRing(db)
    await ring.active()
    reloads = 0
    original = ring._reload

    async def counting_reload() -> None:
        nonlocal reloads
        reloads += 1
        await original()

    ring._reload = counting_reload  # type: ignore[method-assign]
    assert await ring.find("forged-kid") is None
    assert await ring.find("forged-kid-2") is None
    assert reloads <= 1


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
async def test_replicas_starting_together_on_a_new_database_share_one_key(fresh_database_url):  # type: ignore[no-untyped-def]
    """Gateway replicas started together each found no key and made their own; a replica that had
    read only its own then refused the other's tokens for its reload pause (401 "unknown key").
    Replicas share one database (PostgreSQL): the one that comes second takes the first one's key."""
    url = await fresh_database_url()
    first_db, second_db = Database.from_url(url), Database.from_url(url)  # two processes' pools
    try:
        first, second = KeyRing(first_db), KeyRing(second_db)
        await second._reload()  # the second replica looked before the first had made a key
        made = await first.active()
        await second._create()  # ... and then went on to make one
        assert (await second.active()).kid == made.kid
        assert (await first.active()).kid == made.kid
        concurrent = await asyncio.gather(*(KeyRing(db).active() for db in (first_db, second_db)))
        assert {key.kid for key in concurrent} == {made.kid}
    finally:
        await first_db.dispose()
        await second_db.dispose()
