"""The whole suite, served on loopback for the security tests (see ``security_suite.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the helpers beside the tests (rootdir import mode)

import security_suite as suite_module  # noqa: E402
from security_suite import SuiteThread  # noqa: E402
from security_world import Caller, build_world  # noqa: E402


@pytest.fixture(scope="module")
def suite(tmp_path_factory):  # type: ignore[no-untyped-def]
    with SuiteThread(tmp_path_factory.mktemp("security-suite")) as running:
        yield running


@pytest.fixture(scope="module")
def setting(suite):  # type: ignore[no-untyped-def]
    """Every role's session, the realistic data the checks aim at, and the merged OpenAPI document."""
    callers = {role.name: Caller(suite.gateway_url, role.gateway_headers(suite)) for role in suite_module.ROLES}
    world = build_world(suite, callers)
    openapi = httpx.get(f"{suite.gateway_url}/openapi.json", timeout=60).json()
    return callers, world, openapi
