"""The one command pipeline: a use case runs in one transaction with its events, an
Idempotency-Key gives exactly one effect (also under concurrency on PostgreSQL), a refusal writes
nothing, and the shared migration helpers create exactly the tables the kit declares."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from sqlalchemy import func, insert, select

from dgplan_shared.commands import Finishing, Idempotency, execute
from dgplan_shared.db.engine import Database
from dgplan_shared.db.idempotency import IdempotencyStore
from dgplan_shared.db.migrations import drift
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError, conflict
from dgplan_shared.testing.databases import migrated_database_url
from kit_probe.tables import idempotency_keys, metadata, outbox, things

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@dataclass(frozen=True)
class AddThing:
    name: str
    budget: int


@dataclass(frozen=True)
class Added:
    id: int
    name: str


async def add_thing(command: AddThing, uow: UnitOfWork) -> Added:
    if command.budget <= 0:
        raise ProblemError(422, "bad-budget", "Bad budget", "budget must be positive")
    taken = (await uow.session.execute(select(things.c.id).where(things.c.name == command.name))).first()
    if taken:
        raise conflict("thing-exists", f"{command.name} exists")
    new_id = (await uow.session.execute(
        insert(things).values(name=command.name, budget=command.budget).returning(things.c.id))).scalar_one()
    await uow.publish("dgplan.probe.thing.added.v1", str(new_id), {"name": command.name})
    return Added(new_id, command.name)


@pytest.fixture
def kit_database(tmp_path, request):  # type: ignore[no-untyped-def]
    async def make(backend: str) -> Database:
        server = request.getfixturevalue("postgres_server") if backend == "postgres" else None
        url = await migrated_database_url("kit_probe:migrations", backend, postgres_server=server,
                                          directory=tmp_path, prefix="kit")
        return Database.from_url(url, 10)

    return make


async def _counts(db: Database) -> tuple[int, int, int]:
    async with db.session() as session:
        return tuple([  # type: ignore[return-value]
            (await session.execute(select(func.count()).select_from(t))).scalar_one()
            for t in (things, outbox, idempotency_keys)
        ])


def _run(db: Database, command: AddThing, key: str | None = None, payload=None):  # type: ignore[no-untyped-def]
    idem = Idempotency.of(key, "caller|POST /things", payload or command.__dict__) if key else None
    return execute(lambda: UnitOfWork(db, "probe", outbox), add_thing, command, status=201,
                   idempotency=idem, store=IdempotencyStore(idempotency_keys))


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_retry_with_the_same_key_replays_the_first_answer_with_one_effect(kit_database, backend):
    db = await kit_database(backend)
    try:
        first = await _run(db, AddThing("a", 5), key="k1")
        again = await _run(db, AddThing("a", 5), key="k1")
        assert (first.status, first.replayed) == (201, False)
        assert (again.status, again.body, again.replayed) == (201, first.body, True)
        assert first.body == {"id": first.body["id"], "name": "a"}
        assert await _counts(db) == (1, 1, 1)
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_the_same_key_for_another_request_is_refused_and_writes_nothing(kit_database, backend):
    db = await kit_database(backend)
    try:
        await _run(db, AddThing("a", 5), key="k1")
        with pytest.raises(ProblemError) as refused:
            await _run(db, AddThing("b", 5), key="k1")
        assert (refused.value.status, refused.value.slug) == (422, "idempotency-key-reused")
        assert await _counts(db) == (1, 1, 1)
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_refused_command_writes_nothing_and_stores_no_key(kit_database, backend):
    db = await kit_database(backend)
    try:
        with pytest.raises(ProblemError) as refused:
            await _run(db, AddThing("a", 0), key="k1")
        assert refused.value.status == 422
        assert await _counts(db) == (0, 0, 0)
        # The key was not spent: the corrected request with the same key goes through.
        assert (await _run(db, AddThing("a", 0 + 1), key="k1", payload={"name": "a", "budget": 0})).status == 201
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_retry_after_the_state_moved_on_still_gets_its_first_answer(kit_database, backend):
    """Doing it again would now be a 409 (the thing exists): the retry is answered as the first was."""
    db = await kit_database(backend)
    try:
        first = await _run(db, AddThing("a", 5), key="k1")
        again = await _run(db, AddThing("a", 5), key="k1")
        assert again.body == first.body and again.replayed
        with pytest.raises(ProblemError) as other:
            await _run(db, AddThing("a", 5), key="k2")
        assert other.value.status == 409
    finally:
        await db.dispose()


@pytest.mark.postgres
async def test_concurrent_requests_with_one_key_have_one_effect_on_postgres(kit_database):
    db = await kit_database("postgres")
    try:
        answers = await asyncio.gather(*[_run(db, AddThing("a", 5), key="same") for _ in range(8)])
        assert len({str(a.body) for a in answers}) == 1
        assert sum(not a.replayed for a in answers) == 1
        assert await _counts(db) == (1, 1, 1)
    finally:
        await db.dispose()


async def test_finishing_statements_run_last_in_the_same_transaction(kit_database):
    db = await kit_database("sqlite")
    order: list[str] = []

    async def handler(command: AddThing, uow: UnitOfWork):  # type: ignore[no-untyped-def]
        added = await add_thing(command, uow)
        order.append("work")

        async def finish() -> None:
            order.append("finish")

        return Finishing(added, finish)

    try:
        answer = await execute(lambda: UnitOfWork(db, "probe", outbox), handler, AddThing("a", 5),
                               idempotency=Idempotency.of("k", "s", {}), store=IdempotencyStore(idempotency_keys))
        assert answer.body["name"] == "a" and order == ["work", "finish"]
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_the_shared_migration_helpers_create_exactly_the_declared_tables(kit_database, backend):
    db = await kit_database(backend)
    try:
        url = db.engine.url.render_as_string(hide_password=False)
        assert await drift(metadata, url) == []
    finally:
        await db.dispose()


def test_a_missing_key_is_the_one_428():
    with pytest.raises(ProblemError) as missing:
        Idempotency.of("  ", "s", {})
    assert (missing.value.status, missing.value.slug) == (428, "idempotency-key-required")


async def test_a_scope_longer_than_the_column_still_replays(kit_database):
    db = await kit_database("sqlite")
    long_scope = "subject-" + "x" * 400 + "|POST /things"
    store = IdempotencyStore(idempotency_keys)
    new_uow = lambda: UnitOfWork(db, "probe", outbox)  # noqa: E731
    try:
        first = await execute(new_uow, add_thing, AddThing("a", 5), idempotency=Idempotency.of("k", long_scope, {}),
                              store=store)
        again = await execute(new_uow, add_thing, AddThing("a", 5), idempotency=Idempotency.of("k", long_scope, {}),
                              store=store)
        assert again.replayed and again.body == first.body
    finally:
        await db.dispose()
