from decimal import Decimal

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select

from dgplan_shared.db.engine import Database
from dgplan_contracts.storage import Satang
from dgplan_shared.testing.databases import create_postgres_database, sqlite_url

metadata = MetaData()
amounts = Table("amounts", metadata, Column("id", Integer, primary_key=True), Column("baht", Satang()))


async def _roundtrip(url: str) -> None:
    db = Database.from_url(url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)  # a throwaway table for the type itself, not a schema
        values = [Decimal("6504690000.00"), Decimal("0.01"), Decimal("4879870000.1"), Decimal("92233720368547758.07")]
        async with db.session() as s:
            for i, v in enumerate(values):
                await s.execute(insert(amounts).values(id=i, baht=v))
            await s.commit()
            got = (await s.execute(select(amounts.c.baht).order_by(amounts.c.id))).scalars().all()
        assert got == [v.quantize(Decimal("0.01")) for v in values]
        assert all(isinstance(g, Decimal) for g in got)
        async with db.session() as s:
            with pytest.raises(Exception, match="decimal places"):
                await s.execute(insert(amounts).values(id=99, baht=Decimal("1.001")))
        async with db.session() as s:
            with pytest.raises(Exception, match="float"):
                await s.execute(insert(amounts).values(id=98, baht=0.1))
    finally:
        await db.dispose()


async def test_satang_is_exact_on_sqlite(tmp_path):
    await _roundtrip(sqlite_url(tmp_path))


@pytest.mark.postgres
async def test_satang_is_exact_on_postgres(postgres_server):
    await _roundtrip(await create_postgres_database(postgres_server, "money"))
