"""Settings base shared by every service.

Each service subclasses ``ServiceSettings`` with its own ``env_prefix`` (for example
``PLAN_REGISTRY_``) so that one environment can configure all four services without clashes.
Settings are built in the app factory or the entry point, never at import time.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DGPLAN_", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///./var/service.db",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://...",
    )
    database_pool_size: int = Field(default=10, ge=1, description="Connections kept per process (PostgreSQL).")
    bus: Literal["memory", "kafka"] = Field(
        default="memory", description="Event bus: the in-process bus (embedded) or Apache Kafka."
    )
    kafka_bootstrap_servers: str = Field(default="127.0.0.1:9092", description="Kafka bootstrap servers.")
    kafka_topic_prefix: str = Field(
        default="", description="Prefix put before every topic name (isolates test runs and tenants)."
    )
    kafka_topic_partitions: int = Field(default=3, ge=1, description="Partitions of topics the services create.")
    kafka_topic_replication_factor: int = Field(
        default=1, ge=1, description="Replication factor of topics the services create (3 in production)."
    )
    relay_batch_size: int = Field(default=500, ge=1, description="Outbox rows the relay publishes per batch.")
    relay_poll_interval_seconds: float = Field(
        default=0.05, gt=0, description="How long the relay sleeps when the outbox is empty and no commit can wake it."
    )
    relay_idle_poll_seconds: float = Field(
        default=1.0, gt=0,
        description="The relay's safety-net poll while commits wake it (PostgreSQL LISTEN/NOTIFY, or in-process).",
    )
    consumer_max_attempts: int = Field(
        default=5, ge=1, description="Tries of one event before it goes to the dead-letter topic."
    )
    consumer_retry_backoff_seconds: float = Field(
        default=0.2, ge=0, description="First back-off between tries of a failing event (doubles each try)."
    )
    consumer_session_timeout_ms: int = Field(
        default=10000, ge=6000, description="Kafka group session timeout: how soon a dead consumer's partitions move."
    )
    internal_auth_secret: SecretStr = Field(
        default=SecretStr("dev-only-internal-secret-change-me"),
        description="HMAC key the gateway signs forwarded identities with; services verify it.",
    )
    log_level: str = Field(default="INFO", description="Python log level.")
    log_json: bool = Field(default=True, description="Write logs as JSON lines.")
    idempotency_key_retention_days: int = Field(
        default=30, ge=1,
        description=(
            "Days an Idempotency-Key and its answer are kept; `purge-idempotency-keys` (a daily job) deletes "
            "older ones, after which the same key counts as a new request."
        ),
    )
    worker_probe_port: int | None = Field(
        default=None, ge=0, le=65535,
        description=(
            "Port of a relay's, consumer's or daemon's /healthz, /readyz and /metrics (unset: no port; "
            "the API serves its own on its HTTP port)."
        ),
    )
    worker_probe_host: str = Field(
        default="127.0.0.1", description="Address the worker probe port listens on (0.0.0.0 in a pod)."
    )
    readiness_requires_bus: bool = Field(
        default=False,
        description=(
            "Fail /readyz when the bus is unreachable. Off by default for APIs: thanks to the outbox an "
            "API keeps accepting writes during a broker outage, and the relay delivers them later."
        ),
    )
