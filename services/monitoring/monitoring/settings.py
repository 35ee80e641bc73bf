from datetime import date
from functools import lru_cache

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from dgplan_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MONITORING_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/monitoring.db"

    # Evaluation thresholds, in percentage points (see monitoring.domain.evaluation).
    progress_at_risk_lag: float = Field(
        default=10, ge=0, description="At risk when reported progress lags progress expected by time by more than this."
    )
    progress_off_track_lag: float = Field(default=25, ge=0, description="Off track beyond this progress lag.")
    execution_at_risk_lag: float = Field(
        default=20, ge=0,
        description="At risk when the budget execution rate (disbursed/allocated) lags fiscal-year time elapsed by more.",
    )
    execution_off_track_lag: float = Field(default=40, ge=0, description="Off track beyond this execution lag.")
    indicator_at_risk_lag: float = Field(
        default=10, ge=0, description="At risk when an indicator's achievement lags the share of the year elapsed by more."
    )
    indicator_off_track_lag: float = Field(default=25, ge=0, description="Off track beyond this indicator lag.")
    report_grace_days: int = Field(
        default=30, ge=0, description="Days after a quarter ends before its report counts as missing."
    )
    rollup_attention_share: float = Field(
        default=0.25, ge=0, le=1,
        description="A strategy, target or plan is at risk (off track) when this share of its projects is.",
    )
    fixed_today: date | None = Field(
        default=None,
        description="Evaluate as if today were this date (demos, reproducible tests); unset in production.",
    )


@lru_cache(maxsize=1)
def consumer_settings() -> Settings:
    """The consumer process's settings, built on first use (never at import), from MONITORING_*."""
    return Settings()
