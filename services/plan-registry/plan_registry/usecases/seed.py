"""Load the B.E. 2563-2565 plan: an idempotent import of the packaged document."""

from __future__ import annotations

import json
from importlib import resources

from dgplan_shared.service import Runtime

from plan_registry.usecases.transfer import import_document
from plan_registry.usecases.transfer_schema import PlanDocument

SEED_FILE = "plan-2563-2565.json"


def seed_document() -> PlanDocument:
    raw = resources.files("plan_registry.seed").joinpath(SEED_FILE).read_text(encoding="utf-8")
    return PlanDocument.model_validate(json.loads(raw))


async def load_seed(runtime: Runtime) -> str:
    """'created' the first time, 'unchanged' after that."""
    async with runtime.uow() as uow:
        outcome, _ = await import_document(uow, seed_document())
        await uow.commit()
    return outcome
