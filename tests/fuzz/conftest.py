"""The whole suite, served on loopback once for the fuzz tests (see ``tests/security/security_suite.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "security"))  # the shared helpers (rootdir import mode)

from security_suite import SuiteThread  # noqa: E402


@pytest.fixture(scope="module")
def suite(tmp_path_factory):  # type: ignore[no-untyped-def]
    with SuiteThread(tmp_path_factory.mktemp("fuzz-suite")) as running:
        yield running
