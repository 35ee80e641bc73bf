"""Load the B.E. 2563-2565 plan: an idempotent import of the packaged document."""

from __future__ import annotations

import json
from importlib import resources

from dgplan_shared.db.uow import UnitOfWork

from plan_registry.application.export_plan import export_document
from plan_registry.application.import_plan import canonical_order, import_document
from plan_registry.application.repositories import Repositories, repositories
from plan_registry.domain.alignment import check_tree
from plan_registry.domain.framework_document import FrameworkFile
from plan_registry.domain.plan_document import PlanDocument

SEED_FILE = "plan-2563-2565.json"
# The frameworks every installation starts with: the 20-year National Strategy's six strategies
# (its goals). Master plans, reform plans, the NESDP and the SDGs are loaded by the secretariat
# (PUT /api/v1/frameworks/{code}); the seed plan's document names no links to any of them.
FRAMEWORK_FILES = ("framework-national-strategy.json",)


def framework_documents() -> list[dict]:
    seed = resources.files("plan_registry.seed")
    return [FrameworkFile.model_validate(json.loads(seed.joinpath(f).read_text(encoding="utf-8"))).model_dump(mode="json")
            for f in FRAMEWORK_FILES]


async def _load_frameworks(repos: Repositories) -> None:
    """Each framework the first time only: one the secretariat has since replaced stays theirs."""
    for framework in framework_documents():
        if await repos.frameworks.get(framework["code"]) is None:
            check_tree(framework["nodes"])
            await repos.frameworks.replace(framework)


def seed_document() -> PlanDocument:
    raw = resources.files("plan_registry.seed").joinpath(SEED_FILE).read_text(encoding="utf-8")
    return PlanDocument.model_validate(json.loads(raw))


async def load_seed(uow: UnitOfWork) -> str:
    """'created' the first time, 'unchanged' after that; 'kept' once the plan has moved on.

    Unlike an HTTP import, seeding never refuses: a seed plan that has since been revised (a new
    version, answered observations) is the registry's truth now and is left as it is, so that
    ``make run`` starts again on the data of the last run. The caller commits.
    """
    document = seed_document()
    repos = repositories(uow)
    await _load_frameworks(repos)
    present = await repos.plans.id_by_code(document.plan.code)
    if present is not None:
        same = canonical_order(document.model_dump(mode="json")) == await export_document(repos, present)
        return "unchanged" if same else "kept"
    imported = await import_document(uow, repos, document, imported_by="seed")
    return imported.outcome
