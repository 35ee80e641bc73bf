"""The console's settings (``CONSOLE_`` prefix). It is an OIDC relying party configured only by the
issuer's URL and its client's id and secret: discovery tells it everything else, so production
points it at an external identity provider without a code change."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from dgplan_shared.settings import ServiceSettings

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir() -> Path:
    return Path(os.environ.get("DGPLAN_DATA_DIR", "var"))


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CONSOLE_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/console.db"
    gateway_url: str | None = Field(
        default=None,
        description=(
            "Base URL of the gateway whose /api/v1 the console calls. Unset: the address the page was "
            "requested at (the embedded default serves console and gateway on one port)."
        ),
    )
    oidc_issuer: str | None = Field(
        default=None, description="The identity provider's issuer URL (its discovery document). Unset: the gateway."
    )
    oidc_client_id: str = Field(default="dgplan-console", description="The console's client id at the issuer.")
    oidc_client_secret: SecretStr | None = Field(
        default=None, description="The console's client secret. Unset: read from oidc_client_file."
    )
    oidc_client_file: Path = Field(
        default_factory=lambda: _data_dir() / "console-client.txt",
        description="`client_id secret` written by the gateway's embedded setup (make run).",
    )
    public_url: str | None = Field(
        default=None,
        description="The console's public base URL (its OIDC callback). Unset: the address of the request.",
    )
    session_secret: SecretStr | None = Field(
        default=None, description="Key signing the session cookie. Unset: derived from internal_auth_secret."
    )
    session_max_age_seconds: int = Field(default=8 * 3600, ge=300, description="A session's lifetime.")
    secure_cookies: bool = Field(default=False, description="Send cookies over HTTPS only (set it in production).")
    assets_dir: Path = Field(
        default=_PACKAGE_DIR.parent / "node_modules",
        description="Where `make install` put the console's npm packages (the Thai webfont).",
    )
    http_timeout_seconds: float = Field(default=10.0, gt=0, description="Timeout of each call to the gateway.")
