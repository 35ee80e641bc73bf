from pydantic_settings import SettingsConfigDict

from dgplan_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MONITORING_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/monitoring.db"
