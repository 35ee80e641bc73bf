"""Notifications settings (environment prefix ``NOTIFICATIONS_``). Every field is documented: the
operations guide is generated from these descriptions."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from dgplan_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///./var/notifications.db",
        description="SQLAlchemy async URL of the notifications database (webhook endpoints, deliveries, attempts).",
    )
    webhook_allowlist: str = Field(
        default="",
        description=(
            "Comma-separated hosts or IP networks (e.g. `127.0.0.1,hooks.internal.example`) that webhook endpoints "
            "may use although they are plain http or resolve to private, loopback, link-local or metadata "
            "addresses. Empty: only https endpoints on public addresses are accepted."
        ),
    )
    webhook_timeout_seconds: float = Field(
        default=15.0, gt=0, le=60, description="Longest wait for a receiver's answer to one delivery attempt."
    )
    webhook_concurrency_per_endpoint: int = Field(
        default=4, ge=1, le=64, description="Deliveries in flight to one endpoint at once (per delivery daemon)."
    )
    webhook_schedule_factor: float = Field(
        default=1.0, gt=0, le=1.0,
        description=(
            "Multiplies the Standard Webhooks retry schedule (0 s, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, "
            "24 h); below 1 only for tests and demos that cannot wait hours."
        ),
    )
    webhook_jitter: float = Field(
        default=0.1, ge=0, le=0.5, description="Each retry delay varies by up to this share either way (spreads load)."
    )
    webhook_poll_interval_seconds: float = Field(
        default=0.05, gt=0,
        description=(
            "How often the delivery daemon looks for due deliveries while no commit can wake it (SQLite across "
            "processes, or PostgreSQL's LISTEN lost), and while due deliveries wait for their endpoint's bound."
        ),
    )
    webhook_idle_poll_seconds: float = Field(
        default=5.0, gt=0,
        description=(
            "The safety net while commits wake the delivery daemon (PostgreSQL LISTEN/NOTIFY, or one process): "
            "the longest it sleeps with nothing due."
        ),
    )
    webhook_batch_size: int = Field(default=100, ge=1, description="Due deliveries the daemon claims at once.")
    webhook_lease_seconds: float = Field(
        default=60.0, gt=0,
        description=(
            "How long a claimed delivery is reserved for the daemon that claimed it; after a crash another daemon "
            "takes it over once the lease runs out (so it must exceed the timeout)."
        ),
    )
    webhook_secret_overlap_seconds: int = Field(
        default=86400, ge=0, le=7 * 86400,
        description="After a secret rotation, how long deliveries stay signed with the old secret too (default a day).",
    )
    webhook_max_retry_after_seconds: int = Field(
        default=86400, ge=1, description="The longest Retry-After a receiver may ask for; longer ones are cut to this."
    )
    environment: Literal["development", "production"] = Field(
        default="development",
        description=(
            "`production` refuses to start without `NOTIFICATIONS_SECRET_KEYS` (and any other development "
            "default that would be unsafe there); `development` (tests, `make run`) falls back to them."
        ),
    )
    secret_keys: SecretStr = Field(
        default=SecretStr(""),
        description=(
            "Comma-separated Fernet keys (32 url-safe base64 bytes each, e.g. from "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`) that "
            "encrypt the webhook signing secrets at rest. The first encrypts; every one decrypts, so a key is "
            "rotated by putting a new one first and dropping the old one after `dgplan-notifications "
            "reencrypt-secrets`. Empty: a fixed development key, refused when the environment is production."
        ),
    )

    @model_validator(mode="after")
    def _production_needs_real_keys(self) -> Settings:
        if self.environment == "production" and not self.secret_keys.get_secret_value().strip():
            raise ValueError("NOTIFICATIONS_SECRET_KEYS must be set when NOTIFICATIONS_ENVIRONMENT is production")
        return self

    # --- e-mail notices ---------------------------------------------------------------------
    smtp_host: str = Field(
        default="",
        description=(
            "SMTP server the notices are sent through. Empty (as in `make run`): notices are still made and "
            "queued (`GET /api/v1/notices/me/mails` shows them as pending), and nothing is sent."
        ),
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP server port (587 submission, 465 TLS).")
    smtp_username: str = Field(default="", description="SMTP user name (empty: no authentication).")
    smtp_password: SecretStr = Field(default=SecretStr(""), description="SMTP password.")
    smtp_starttls: bool = Field(
        default=True, description="Upgrade the connection with STARTTLS before authenticating (off only for tests)."
    )
    smtp_tls: bool = Field(default=False, description="Connect with implicit TLS (port 465) instead of STARTTLS.")
    smtp_timeout_seconds: float = Field(default=30.0, gt=0, le=300, description="Longest wait for the SMTP server.")
    mail_from: str = Field(
        default="dgplan <no-reply@dgplan.invalid>", description="The From address of the notices."
    )
    console_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public base URL of the console: mails link to `{console_url}/inbox/{instance}` (its decision page).",
    )
    public_api_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public base URL of the gateway: unsubscribe links point at `{public_api_url}/api/v1/notices/unsubscribe`.",
    )
    notice_digest_window_seconds: float = Field(
        default=3600.0, gt=0,
        description=(
            "At most one mail per person and kind in this window: the first goes at once, what follows within "
            "the window is merged into one digest sent when it ends."
        ),
    )
    notice_deadline_lead_seconds: float = Field(
        default=2 * 86400.0, gt=0, description="How long before a stage's deadline its body's members are told it is near."
    )
    notice_poll_interval_seconds: float = Field(
        default=1.0, gt=0, description="How long the mail loop of the `deliver` daemon sleeps when nothing is due."
    )
    notice_retry_factor: float = Field(
        default=1.0, gt=0, le=1.0,
        description="Multiplies the SMTP retry pauses (30 s doubling to 1 h); below 1 only for tests.",
    )
