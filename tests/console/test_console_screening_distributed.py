"""The FY 2565 screening round of ``test_console_screening``, the same steps by clicking and typing,
against the distributed topology: every service its own process on PostgreSQL, the console its own
process behind the gateway's one address, and every hop between the ledger and the governance engine
(the package to the committee, the approval to the allocations) over Kafka. The agency submits; the
subcommittee decides three requests three ways and submits the package; the committee approves; the
board shows the allocations; another agency never sees the first agency's request."""

from __future__ import annotations

import pytest

from tests.console.conftest import Suite
from tests.console.test_console_distributed import distributed  # noqa: F401 - this module's own topology
from tests.console.test_console_screening import *  # noqa: F401,F403 - the round fixture and its tests

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.kafka]


@pytest.fixture(scope="module")
def suite(distributed) -> Suite:  # type: ignore[no-untyped-def]  # noqa: F811 - the topology's, not make run's
    return distributed[0]
