"""A framework as the secretariat loads it (PUT /api/v1/frameworks/{code}, and the seed's files):
its kind, name and nodes, each node under its parent by code (none: a goal)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from dgplan_contracts.codes import Code
from dgplan_contracts.text import BilingualName
from dgplan_shared.web.models import Strict

from plan_registry.domain.alignment import FRAMEWORK_KINDS

FrameworkKind = Literal["national_strategy", "master_plan", "reform_plan", "nesdp", "sdg", "other"]
assert set(FrameworkKind.__args__) == set(FRAMEWORK_KINDS)  # type: ignore[attr-defined]


class FrameworkNodeIn(Strict):
    code: Code
    parent_code: Code | None = None
    name: BilingualName


class FrameworkIn(Strict):
    kind: FrameworkKind
    name: BilingualName
    nodes: list[FrameworkNodeIn] = Field(min_length=1, max_length=5000)


class FrameworkFile(FrameworkIn):
    """A seed file: the framework's code travels with it (the API takes it from the path)."""

    code: Code
