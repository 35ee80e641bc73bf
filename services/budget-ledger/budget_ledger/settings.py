from pydantic_settings import SettingsConfigDict

from dgplan_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="BUDGET_LEDGER_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/budget-ledger.db"
