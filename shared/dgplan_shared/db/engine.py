"""The async engine and session factory, built in the app's lifespan (never at import)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext import asyncio as sa_asyncio
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker


def _prepare_sqlite(engine: AsyncEngine) -> None:
    """Make pysqlite transactional for real.

    pysqlite defers BEGIN and fights SAVEPOINTs; we emit BEGIN ourselves. BEGIN IMMEDIATE takes the
    write lock up front, so two connections never deadlock upgrading a read lock to a write lock
    (SQLite would fail one of them at once with "database is locked").
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def build_engine(url: str, pool_size: int = 10) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa_asyncio.create_async_engine(url, connect_args={"timeout": 30})
        _prepare_sqlite(engine)
        return engine
    # Looked up on the module at each call: tracing's SQLAlchemy instrumentation wraps it there.
    return sa_asyncio.create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


class Database:
    """Engine plus session factory. Tests build one bound to a single connection that they roll back."""

    def __init__(self, engine: AsyncEngine, *, owns_engine: bool = True, bind: AsyncConnection | None = None):
        self.engine = engine
        self._owns_engine = owns_engine
        self.dialect = engine.dialect.name
        options = {"join_transaction_mode": "create_savepoint"} if bind is not None else {}
        # Tests bind to one outer transaction; each commit then only releases a savepoint.
        self.sessions = async_sessionmaker(bind=bind or engine, expire_on_commit=False, autoflush=False, **options)

    @classmethod
    def from_url(cls, url: str, pool_size: int = 10) -> Database:
        return cls(build_engine(url, pool_size))

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session

    async def ping(self) -> bool:
        try:
            async with self.sessions() as session:
                await session.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - readiness reports, never raises
            return False

    async def dispose(self) -> None:
        if self._owns_engine:
            await self.engine.dispose()
