"""The plan hierarchy: which kind of node may hang under which, fiscal years, agency roles.

plan -> strategy -> measure (มาตรการ) -> work plan (แผนงาน) -> project (โครงการ). Focus areas,
objectives and targets hang directly under the plan (parent null). A project normally hangs under
a work plan; it may hang under a measure, or directly under its strategy, when the source names
the project without naming its work plan or measure (the seed document does exactly that for its
example projects); such a placement is visible as ``parent_type`` in the API.
"""

from __future__ import annotations

from dgplan_contracts.fiscal import FY_MAX, FY_MIN
from dgplan_shared.errors import invalid

STRATEGY = "strategy"
MEASURE = "measure"
WORK_PLAN = "work_plan"
PROJECT = "project"
FOCUS_AREA = "focus_area"
OBJECTIVE = "objective"
TARGET = "target"
PLAN = "plan"  # the root node that carries the versioned plan-level content

NODE_TYPES = (PLAN, FOCUS_AREA, OBJECTIVE, TARGET, STRATEGY, MEASURE, WORK_PLAN, PROJECT)
CREATABLE_TYPES = NODE_TYPES[1:]

# None stands for "directly under the plan".
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    FOCUS_AREA: (None,),
    OBJECTIVE: (None,),
    TARGET: (None,),
    STRATEGY: (None,),
    MEASURE: (STRATEGY,),
    WORK_PLAN: (MEASURE,),
    PROJECT: (WORK_PLAN, MEASURE, STRATEGY),
}

# lead / supporting from the plan itself; funding / accountable / implementing are IATI's;
# "responsible" is what the source says of the agencies it names per strategy
# (หน่วยงานรับผิดชอบ) without saying which of them leads.
ROLES = ("lead", "supporting", "responsible", "funding", "accountable", "implementing")

PROJECT_STATUSES = ("proposed", "planned", "in_progress", "completed", "cancelled")



def check_parent(node_type: str, parent_type: str | None, field: str = "parent_id") -> None:
    allowed = ALLOWED_PARENTS.get(node_type)
    if allowed is None:
        raise invalid("node_type", f"must be one of {', '.join(CREATABLE_TYPES)}")
    if parent_type not in allowed:
        where = parent_type or "the plan itself"
        wanted = " or ".join(p or "the plan (no parent)" for p in allowed)
        raise invalid(field, f"a {node_type} cannot hang under {where}; it belongs under {wanted}")


def check_fiscal_year(value: int, field: str) -> None:
    if not (FY_MIN <= value <= FY_MAX):
        raise invalid(
            field,
            f"{value} is not a Buddhist-Era fiscal year (expected {FY_MIN}-{FY_MAX}, e.g. 2565 = CE 2022 + 543)",
        )


def check_period(start: int | None, end: int | None, start_field: str = "start_fy", end_field: str = "end_fy") -> None:
    if start is not None:
        check_fiscal_year(start, start_field)
    if end is not None:
        check_fiscal_year(end, end_field)
    if start is not None and end is not None and end < start:
        raise invalid(end_field, f"the period runs backwards: ends in {end} before it starts in {start}")


def check_role(role: str, field: str = "role") -> None:
    if role not in ROLES:
        raise invalid(field, f"unknown role {role!r}; one of {', '.join(ROLES)}")


def check_no_cycle(node_id: str, new_parent_id: str | None, parent_of: dict[str, str | None], field: str = "parent_id") -> None:
    """Moving ``node_id`` under ``new_parent_id`` must not make it its own ancestor."""
    seen = set()
    current = new_parent_id
    while current is not None:
        if current == node_id:
            raise invalid(field, f"moving {node_id} under {new_parent_id} would make a cycle")
        if current in seen:
            break
        seen.add(current)
        current = parent_of.get(current)


def check_within_plan(start: int | None, end: int | None, plan_start: int, plan_end: int) -> None:
    """A node's years lie inside its plan's period: a project cannot run before the plan starts or
    after it ends (it belongs in the successor plan)."""
    if start is None and end is None:
        return
    first, last = start if start is not None else end, end if end is not None else start
    assert first is not None and last is not None
    field = "start_fy" if start is not None and start < plan_start else "end_fy"
    if end is None and start is not None and start > plan_end:
        field = "start_fy"
    if first < plan_start or last > plan_end:
        raise invalid(
            field,
            f"FY {first}–{last} lies outside the plan's period FY {plan_start}–{plan_end}; "
            "register it in the plan that covers those years",
        )
