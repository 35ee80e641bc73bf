from pydantic import Field
from pydantic_settings import SettingsConfigDict

from dgplan_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PLAN_REGISTRY_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/plan-registry.db"
    read_cache_entries: int = Field(
        default=512, ge=0, description="Settled versions' documents and diffs kept in memory per process (0: none).")
    read_cache_megabytes: int = Field(default=64, ge=1, description="Bytes of kept answers per process, in MiB.")
    plan_list_ttl_seconds: float = Field(
        default=1.0, ge=0, le=60,
        description="How long a plan list is answered from memory (0: never); this process's writes drop it at once.")
