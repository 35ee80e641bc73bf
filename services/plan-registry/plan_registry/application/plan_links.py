"""A plan's predecessor and successor: they exist, differ, and never loop back to the plan."""

from __future__ import annotations

from dgplan_shared.errors import invalid

from plan_registry.application.repositories import Repositories


async def check_plan_links(repos: Repositories, plan_id: str, predecessor: str | None, successor: str | None) -> None:
    for field, other in (("predecessor_plan_id", predecessor), ("successor_plan_id", successor)):
        if other is None:
            continue
        if other == plan_id:
            raise invalid(field, "a plan cannot follow or precede itself")
        if not await repos.plans.exists(other):
            raise invalid(field, f"no plan {other}")
    if predecessor is not None:
        seen, current = {plan_id}, predecessor
        while current is not None:
            if current in seen:
                raise invalid("predecessor_plan_id", "the chain of predecessors would make a cycle")
            seen.add(current)
            current = await repos.plans.predecessor_of(current)
    if predecessor is not None and predecessor == successor:
        raise invalid("successor_plan_id", "the same plan cannot be both predecessor and successor")
