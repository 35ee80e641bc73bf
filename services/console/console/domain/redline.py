"""The registry's diff of two versions as lines a person reads: each node added or removed, and each
changed field of a node with its old and new value, labelled in words rather than dotted field
names. Pure: the page translates the labels (they are gettext message ids) and formats money.

Roles are compared as agency–role pairs: the registry marks roles that ``make run``'s demo layer
assigned (``demo``) and drops the mark when a role list is written back, which is no change a
person made, so it is no line of the redline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Field of the registry's flattened node → what the page calls it (a message id).
FIELD_LABELS = {
    "name.th": "Name (Thai)",
    "name.en": "Name (English)",
    "budget_framework": "Budget framework",
    "roles": "Agency roles",
    "code": "Code",
    "status": "Status",
    "start_fy": "First fiscal year",
    "end_fy": "Last fiscal year",
    "parent_id": "Placed under",
    "declared.measures": "Declared measures",
    "declared.work_plans": "Declared work plans",
    "declared.projects": "Declared projects",
    "focus_area_ids": "Focus areas",
    "target_ids": "Targets",
}
MONEY_FIELDS = frozenset({"budget_framework"})
ROLE_NAMES = ("lead", "supporting", "responsible", "funding", "accountable", "implementing")


@dataclass(frozen=True)
class RedlineLine:
    kind: str  # added | removed | changed
    node_type: str
    code: str
    name: dict[str, str]
    label: str | None = None  # the changed field, as a message id
    old: Any = None
    new: Any = None
    value_kind: str = "text"  # text | money | roles | list

    @property
    def old_blank(self) -> bool:
        return self.old in (None, "", [])

    @property
    def new_blank(self) -> bool:
        return self.new in (None, "", [])


@dataclass(frozen=True)
class Redline:
    from_number: int
    to_number: int
    lines: tuple[RedlineLine, ...]

    def count(self, kind: str) -> int:
        if kind == "changed":
            return len({line.code for line in self.lines if line.kind == "changed"})
        return sum(1 for line in self.lines if line.kind == kind)


def role_pairs(roles: list[dict[str, Any]] | None) -> list[tuple[str, str]]:
    """Agency–role pairs, lead first, then as the registry lists them."""
    pairs = [(str(r.get("agency")), str(r.get("role"))) for r in roles or []]
    order = {name: i for i, name in enumerate(ROLE_NAMES)}
    return sorted(pairs, key=lambda p: (order.get(p[1], len(order)), p[0]))


def label_of(field: str) -> str:
    if field in FIELD_LABELS:
        return FIELD_LABELS[field]
    if field.startswith("attributes."):
        return field.removeprefix("attributes.")
    return field


def _kind_of(field: str, value: Any) -> str:
    if field in MONEY_FIELDS:
        return "money"
    if field == "roles":
        return "roles"
    if isinstance(value, list):
        return "list"
    return "text"


def _changed_lines(entry: dict[str, Any], name: dict[str, str]) -> list[RedlineLine]:
    lines = []
    fields = entry.get("fields") or {}
    # Names first, then the budget, roles and the rest in the registry's (alphabetical) order.
    ordered = sorted(fields, key=lambda f: (list(FIELD_LABELS).index(f) if f in FIELD_LABELS else len(FIELD_LABELS), f))
    for field in ordered:
        change = fields[field]
        old, new = change.get("from"), change.get("to")
        if field == "roles":
            old, new = role_pairs(old), role_pairs(new)
            if sorted(old) == sorted(new):
                continue
        value = new if new is not None else old
        lines.append(RedlineLine("changed", entry["node_type"], entry["code"], name, label_of(field), old, new,
                                 _kind_of(field, value)))
    return lines


def redline(diff: dict[str, Any], names: dict[str, dict[str, str]]) -> Redline:
    """``names``: node id → bilingual name in the newer version (the diff names only added and
    removed nodes); a changed name shows the new one in the heading and both in the line."""
    lines: list[RedlineLine] = []
    for entry in diff.get("added") or []:
        lines.append(RedlineLine("added", entry["node_type"], entry["code"], entry.get("name") or {}))
    for entry in diff.get("removed") or []:
        lines.append(RedlineLine("removed", entry["node_type"], entry["code"], entry.get("name") or {}))
    for entry in diff.get("changed") or []:
        lines.extend(_changed_lines(entry, names.get(entry["node_id"], {})))
    return Redline(int(diff["from"]["number"]), int(diff["to"]["number"]), tuple(lines))
