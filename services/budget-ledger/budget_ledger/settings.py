from pydantic import Field
from pydantic_settings import SettingsConfigDict

from dgplan_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="BUDGET_LEDGER_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/budget-ledger.db"
    auto_allocate_on_approval: bool = Field(
        default=True,
        description=(
            "When the committee approves a screened package, post allocations equal to the approved "
            "amounts at once. Turn off where allocation is a later, separate act (then post allocations "
            "through POST /api/v1/budget/postings)."
        ),
    )
