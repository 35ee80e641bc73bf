"""The registry's own CLI verbs (``dgplan-plan-registry seed``) and the embedded setup, all run on
the runtime the shared CLI (or the embedded runner) builds from the definition."""

from __future__ import annotations

from dgplan_shared.service import Runtime

from plan_registry.application.demo_layer import apply_demo_layer
from plan_registry.application.seed import load_seed


async def seed(runtime: Runtime) -> str:
    """Load the seed plan in one transaction: 'created', 'unchanged' or 'kept'."""
    async with runtime.uow() as uow:
        outcome = await load_seed(uow)
        await uow.commit()
    return outcome


async def seed_command(runtime: Runtime, args: list[str]) -> int:
    outcome = await seed(runtime)
    print(f"seed plan DGDP-2563-2565: {outcome}")
    return 0


async def embedded_setup(runtime: Runtime) -> None:
    """``make run``: the seed plan, then the demo layer that lets its agencies act (demo data)."""
    await seed(runtime)
    async with runtime.uow() as uow:
        await apply_demo_layer(uow)
        await uow.commit()
