"""A workflow definition as the workflows page lays it out: the newest version of each workflow,
and its stages in the order the definition names them, each with its deciding body, deadline and
decision options (where each leads). Pure: the definitions come from the governance API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Who takes a stage forward, by the definition's mode.
MODES = ("vote", "single", "revision", "external")


@dataclass(frozen=True)
class Option:
    name: str
    to: str
    resume: str | None
    observations: str  # none / allowed / required


@dataclass(frozen=True)
class StageRow:
    position: int
    name: str
    body: str
    mode: str
    due_days: int | None
    due_from: str | None
    at_deadline: str | None
    options: tuple[Option, ...]
    moved_by: tuple[tuple[str, str], ...]  # (event, next stage) for a stage other services move on


def newest_versions(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per workflow key, its highest version, keys in the order first listed."""
    newest: dict[str, dict[str, Any]] = {}
    for item in items:
        kept = newest.get(item["key"])
        if kept is None or item["version"] > kept["version"]:
            newest[item["key"]] = item
    return list(newest.values())


def stages_of(definition: dict[str, Any]) -> list[StageRow]:
    rows = []
    for position, stage in enumerate(definition.get("stages", []), start=1):
        options = tuple(
            Option(d["name"], d["to"], d.get("resume"), d.get("observations", "allowed"))
            for d in stage.get("decisions") or []
        )
        rows.append(StageRow(
            position=position, name=stage["name"], body=stage["body"], mode=stage["mode"],
            due_days=stage.get("due_days"), due_from=stage.get("due_from"), at_deadline=stage.get("at_deadline"),
            options=options, moved_by=tuple((stage.get("advance_on") or {}).items()),
        ))
    return rows


def outcome_names(definition: dict[str, Any]) -> set[str]:
    """Where a workflow ends (a decision leading there names an outcome, not a stage)."""
    return set(definition.get("outcomes") or [])
