"""Alembic plumbing shared by every service: the env.py body, upgrades, and the drift check."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import command, context
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

from dgplan_shared.db.engine import build_engine


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    # Migrations must not import application types: render a TypeDecorator as its plain SQL type.
    if type_ == "type" and isinstance(obj, TypeDecorator):
        impl = obj.impl_instance if hasattr(obj, "impl_instance") else obj.impl
        autogen_context.imports.add("import sqlalchemy as sa")
        return f"sa.{impl!r}"
    return False


def _configure(connection: Connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_env(metadata: MetaData) -> None:
    """The whole body of a service's ``migrations/env.py``."""
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is not set; run migrations through the service's 'migrate' command")

    async def run() -> None:
        engine = build_engine(url, pool_size=1)
        try:
            async with engine.connect() as connection:
                await connection.run_sync(_configure, metadata)
                await connection.commit()
        finally:
            await engine.dispose()

    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True, render_item=_render_item)
        with context.begin_transaction():
            context.run_migrations()
    else:
        asyncio.run(run())


def alembic_config(script_location: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", script_location)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(script_location: str, url: str, revision: str = "head") -> None:
    """Blocking (Alembic runs its own event loop in env.py): call it off the event loop."""
    command.upgrade(alembic_config(script_location, url), revision)


def downgrade(script_location: str, url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(script_location, url), revision)


async def drift(metadata: MetaData, url: str) -> list[Any]:
    """Differences between the models and a database migrated to head; empty means no drift."""
    engine = build_engine(url, pool_size=1)

    def compare(connection: Connection) -> list[Any]:
        ctx = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
        return list(compare_metadata(ctx, metadata))

    try:
        async with engine.connect() as connection:
            return await connection.run_sync(compare)
    finally:
        await engine.dispose()
