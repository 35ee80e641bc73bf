"""Service commands beyond api/relay/consumer/migrate and the daemons."""

from __future__ import annotations

from dgplan_shared.commands import execute
from dgplan_shared.service import Runtime
from notifications.adapters.secret_box import SecretBox
from notifications.application import reencrypt_secrets
from notifications.settings import Settings


async def reencrypt_secrets_command(runtime: Runtime, args: list[str]) -> int:
    """dgplan-notifications reencrypt-secrets: every webhook secret under the first key of
    NOTIFICATIONS_SECRET_KEYS (run after putting a new key first, before dropping the old one)."""
    settings = runtime.settings
    assert isinstance(settings, Settings)
    box = SecretBox.from_setting(settings.secret_keys.get_secret_value())
    count = (await execute(runtime.uow, reencrypt_secrets.handle, reencrypt_secrets.ReencryptSecrets(box))).body
    print(f"{count} webhook secrets re-encrypted under the newest key")
    return 0
