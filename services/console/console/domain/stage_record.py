"""What an approval has been through, as the decision page lists it: the instance's history (the
governance API keeps every vote and decision after the stage moves on, where the instance itself
shows only the current stage's votes), and the mode the definition gives the stage under decision
(a body that decides as one has no tally to show). Pure: the history and definitions come from the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The history kinds a person reads; the rest (an ignored event) are the engine's bookkeeping.
SHOWN = ("started", "vote", "decided", "advanced", "resubmission-waiting", "resubmitted", "overdue",
         "deadline-passed")


@dataclass(frozen=True)
class RecordLine:
    at: str
    kind: str
    stage: str | None
    body: str | None
    actor: str | None
    decision: str | None
    reason: str | None


def record_of(history: list[dict[str, Any]]) -> list[RecordLine]:
    """The history lines a person reads, oldest first (the API's order)."""
    return [
        RecordLine(h["at"], h["kind"], h.get("stage"), h.get("body"), h.get("actor"), h.get("decision"), h.get("reason"))
        for h in history if h["kind"] in SHOWN
    ]


def stage_mode(definitions: list[dict[str, Any]], key: str, version: int, stage: str) -> str | None:
    """The mode (vote, single, revision, external) of ``stage`` in the definition the instance runs on."""
    for item in definitions:
        if item["key"] == key and item["version"] == version:
            for row in item["definition"].get("stages", []):
                if row["name"] == stage:
                    return row.get("mode")
    return None
