"""Load the B.E. 2563-2565 plan: an idempotent import of the packaged document."""

from __future__ import annotations

import json
from importlib import resources

from sqlalchemy import select

from dgplan_shared.service import Runtime

from plan_registry.db.tables import plans
from plan_registry.usecases.transfer import canonical_order, export_document, import_document
from plan_registry.usecases.transfer_schema import PlanDocument

SEED_FILE = "plan-2563-2565.json"


def seed_document() -> PlanDocument:
    raw = resources.files("plan_registry.seed").joinpath(SEED_FILE).read_text(encoding="utf-8")
    return PlanDocument.model_validate(json.loads(raw))


async def load_seed(runtime: Runtime) -> str:
    """'created' the first time, 'unchanged' after that; 'kept' once the plan has moved on.

    Unlike an HTTP import, seeding never refuses: a seed plan that has since been revised (a new
    version, answered observations) is the registry's truth now and is left as it is, so that
    ``make run`` starts again on the data of the last run.
    """
    document = seed_document()
    async with runtime.uow() as uow:
        present = await uow.session.scalar(select(plans.c.id).where(plans.c.code == document.plan.code))
        if present is not None:
            same = canonical_order(document.model_dump(mode="json")) == await export_document(uow, present)
            return "unchanged" if same else "kept"
        outcome, _ = await import_document(uow, document)
        await uow.commit()
    return outcome
