"""Extra command-line verbs: ``dgplan-plan-registry seed``."""

from __future__ import annotations

from dgplan_shared.service import build_runtime
from dgplan_shared.settings import ServiceSettings


async def seed_command(settings: ServiceSettings, args: list[str]) -> int:
    from plan_registry.definition import definition
    from plan_registry.usecases.seed import load_seed

    runtime = build_runtime(definition(), settings)
    try:
        outcome = await load_seed(runtime)
    finally:
        await runtime.bus.stop()
        await runtime.db.dispose()
    print(f"seed plan DGDP-2563-2565: {outcome}")
    return 0
