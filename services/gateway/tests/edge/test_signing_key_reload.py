"""A restarted (or new) gateway replica meets many valid tokens at once: every one must verify,
not only the request that happened to trigger the reload of the signing keys."""

from __future__ import annotations

import asyncio

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
