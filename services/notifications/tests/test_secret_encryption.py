"""Webhook signing secrets are encrypted at rest (Fernet): the stored column is never the secret,
deliveries are still signed with it, an old key keeps decrypting during a key rotation, the
re-encryption command moves every row to the new key, and the migration encrypts existing
plaintext rows (and decrypts them on the way down)."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from pydantic import ValidationError
from sqlalchemy import select
from standardwebhooks import Webhook

from dgplan_contracts.identity import SECRETARIAT
from dgplan_shared.db.engine import Database
from dgplan_shared.db.migrations import downgrade, upgrade
from dgplan_shared.db.types import utcnow
from notification_test_events import feed, live_runtime, principal, round_opened, subscribe
from notifications.adapters.secret_box import SecretBox, SecretBoxError
from notifications.adapters.tables import endpoint_secrets
from notifications.application import reencrypt_secrets
from notifications.definition import definition
from notifications.settings import Settings
from webhook_receiver import Receiver

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
async def receiver():
    rx = await Receiver().start()
    yield rx
    await rx.stop()


async def _stored(runtime) -> list[str]:  # type: ignore[no-untyped-def]
    async with runtime.db.session() as session:
        return list((await session.execute(select(endpoint_secrets.c.encrypted_secret))).scalars())


async def test_the_stored_secret_is_not_the_secret_and_deliveries_are_still_signed(fresh_database_url, receiver):
    async with live_runtime(await fresh_database_url(), secret_keys=OLD) as runtime:
        created = await subscribe(runtime, receiver.url, principal(SECRETARIAT))
        stored = await _stored(runtime)
        await feed(runtime, round_opened())
        await receiver.wait_for(1)
    assert len(stored) == 1 and created.secret not in stored[0] and created.secret[6:] not in stored[0]
    assert SecretBox([OLD]).open(stored[0]) == created.secret
    with pytest.raises(SecretBoxError):
        SecretBox([NEW]).open(stored[0])
    Webhook(created.secret).verify(receiver.received[0].body, receiver.received[0].headers)


async def test_a_key_rotation_keeps_signing_and_reencrypting_lets_the_old_key_go(fresh_database_url, receiver):
    url = await fresh_database_url()
    async with live_runtime(url, daemon=False, secret_keys=OLD) as runtime:
        created = await subscribe(runtime, receiver.url, principal(SECRETARIAT))
    # A new key first, the old one still listed: what was stored under the old key still signs.
    async with live_runtime(url, secret_keys=f"{NEW},{OLD}") as runtime:
        await feed(runtime, round_opened())
        await receiver.wait_for(1)
        async with runtime.uow() as uow:
            rewritten = await reencrypt_secrets.handle(reencrypt_secrets.ReencryptSecrets(SecretBox([NEW, OLD])), uow)
            await uow.commit()
    assert rewritten == 1
    # The old key dropped: everything opens with the new one alone.
    async with live_runtime(url, secret_keys=NEW) as runtime:
        assert SecretBox([NEW]).open((await _stored(runtime))[0]) == created.secret
        await feed(runtime, round_opened("round-2566"))
        await receiver.wait_for(2)
    for got in receiver.received:
        Webhook(created.secret).verify(got.body, got.headers)


def test_production_refuses_to_start_without_keys_and_development_has_a_default():
    with pytest.raises(ValidationError, match="NOTIFICATIONS_SECRET_KEYS"):
        Settings(environment="production")
    assert Settings(environment="production", secret_keys=NEW).secret_keys.get_secret_value() == NEW
    assert SecretBox.from_setting(Settings().secret_keys.get_secret_value()).open(
        SecretBox.from_setting("").seal("whsec_x")) == "whsec_x"
    with pytest.raises(ValueError, match="not a Fernet key"):
        SecretBox.from_setting("not-a-key")


async def test_the_migration_encrypts_plaintext_rows_and_the_downgrade_decrypts_them(fresh_database_url,
                                                                                       monkeypatch):
    monkeypatch.setenv("NOTIFICATIONS_SECRET_KEYS", OLD)
    url = await fresh_database_url()
    location = definition().migrations
    await asyncio.to_thread(downgrade, location, url, "0002")
    db = Database.from_url(url)
    try:
        now = utcnow()
        async with db.session() as session:
            await session.execute(sa.text(
                "INSERT INTO webhook_endpoints (id, url, description, event_types, agency, owner, status, version, "
                "created_at, updated_at) VALUES ('ep_1', 'https://example.org/', '', '[\"*\"]', NULL, 'o', 'active', "
                "1, :now, :now)"), {"now": now})
            await session.execute(sa.text(
                "INSERT INTO webhook_endpoint_secrets (endpoint_id, secret, created_at) VALUES ('ep_1', 'whsec_plain', :now)"),
                {"now": now})
            await session.commit()
        await asyncio.to_thread(upgrade, location, url, "head")
        async with db.session() as session:
            sealed = (await session.execute(select(endpoint_secrets.c.encrypted_secret))).scalar_one()
        assert "whsec_plain" not in sealed and SecretBox([OLD]).open(sealed) == "whsec_plain"
        await asyncio.to_thread(downgrade, location, url, "0002")
        async with db.session() as session:
            plain = (await session.execute(sa.text("SELECT secret FROM webhook_endpoint_secrets"))).scalar_one()
        assert plain == "whsec_plain"
        await asyncio.to_thread(upgrade, location, url, "head")
    finally:
        await db.dispose()
