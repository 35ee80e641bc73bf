import sys
from pathlib import Path

from dgplan_shared.testing.service_fixtures import install_service_fixtures

from plan_registry.definition import definition

install_service_fixtures(globals(), definition)

# Helpers beside the tests (unique module name: every service's tests share one sys.path).
sys.path.insert(0, str(Path(__file__).parent))

import itertools  # noqa: E402

import pytest  # noqa: E402

from plan_registry.application import list_plans  # noqa: E402
from plan_registry.commands import seed as load_seed  # noqa: E402

SEED_CODE = "DGDP-2563-2565"
_keys = itertools.count()


@pytest.fixture
async def seeded(runtime):  # type: ignore[no-untyped-def]
    """The seed plan loaded; returns the plan as the API shows it."""
    assert await load_seed(runtime) == "created"
    async with runtime.uow() as uow:
        page = await list_plans.handle(list_plans.ListPlans(None, q=SEED_CODE, limit=5), uow)
    return page["items"][0]


@pytest.fixture
def secretariat(identity):  # type: ignore[no-untyped-def]
    return identity("secretariat", bodies=["dga-secretariat"], subject="dga-officer")


def key() -> dict[str, str]:
    return {"Idempotency-Key": f"k-{next(_keys)}"}


@pytest.fixture
def idem():  # type: ignore[no-untyped-def]
    return key
