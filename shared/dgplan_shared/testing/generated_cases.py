"""Schemathesis cases drawn from a service's OpenAPI document, for the per-service fuzz tests.

Generation is the slow part, so each test's cases are generated once per run and shared by its
SQLite and PostgreSQL runs (both backends then receive exactly the same requests).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

_GENERATED: dict[tuple[str, int], list[Any]] = {}


def generated_cases(
    name: str,
    openapi: dict[str, Any],
    per_operation: int,
    *,
    keep_path: Callable[[str, dict[str, Any]], bool] | None = None,
    examples_for: Callable[[str], int | None] | None = None,
) -> list[Any]:
    """Up to ``per_operation`` cases per operation of ``openapi`` (only paths ``keep_path`` keeps;
    ``examples_for(path)`` may set another number for one path). ``name`` keys the per-run cache."""
    key = (name, per_operation)
    if key in _GENERATED:
        return _GENERATED[key]
    if keep_path is not None:
        openapi = {**openapi, "paths": {p: item for p, item in openapi["paths"].items() if keep_path(p, item)}}
    collected: list[Any] = []
    for result in schemathesis.openapi.from_dict(openapi).get_all_operations():
        operation = result.ok()
        examples = (examples_for(operation.path) if examples_for else None) or per_operation

        @hypothesis_settings(max_examples=examples, database=None, deadline=None,
                             suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def collect(case: Any) -> None:
            collected.append(case)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            collect()
    _GENERATED[key] = collected
    return collected
