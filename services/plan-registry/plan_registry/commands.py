"""Extra command-line verbs: ``dgplan-plan-registry seed``."""

from __future__ import annotations

from dgplan_shared.service import Runtime
from plan_registry.usecases.seed import load_seed


async def seed_command(runtime: Runtime, args: list[str]) -> int:
    outcome = await load_seed(runtime)
    print(f"seed plan DGDP-2563-2565: {outcome}")
    return 0
