"""Node-by-node difference between two versions of a plan.

Nodes are matched by id (ids are stable across versions). Each node is flattened into dotted
fields (``name.th``, ``attributes.vision.en``, ``roles``...), so a change reads the same to a
program and, through ``summary``, to a person.
"""

from __future__ import annotations

from typing import Any

_IGNORED = {"id", "position", "version_id", "strategy_id", "parent_type"}


def flatten(node: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        if not prefix and key in _IGNORED:
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _label(node: dict[str, Any]) -> str:
    name = node.get("name") or {}
    return f"{node['node_type']} {node['code']} ({name.get('en') or name.get('th') or ''})"


def diff_versions(
    from_version: dict[str, Any], to_version: dict[str, Any], before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> dict[str, Any]:
    old = {n["id"]: n for n in before}
    new = {n["id"]: n for n in after}
    added = [_brief(new[i]) for i in sorted(new.keys() - old.keys(), key=lambda i: new[i]["code"])]
    removed = [_brief(old[i]) for i in sorted(old.keys() - new.keys(), key=lambda i: old[i]["code"])]
    changed = []
    for node_id in sorted(old.keys() & new.keys(), key=lambda i: new[i]["code"]):
        a, b = flatten(old[node_id]), flatten(new[node_id])
        fields = {
            k: {"from": a.get(k), "to": b.get(k)} for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)
        }
        if fields:
            changed.append(
                {"node_type": new[node_id]["node_type"], "node_id": node_id, "code": new[node_id]["code"], "fields": fields}
            )
    lines = [f"{len(added)} added, {len(removed)} removed, {len(changed)} changed"]
    lines += [f"+ {_label(new[n['node_id']])}" for n in added]
    lines += [f"- {_label(old[n['node_id']])}" for n in removed]
    for c in changed:
        for field, change in c["fields"].items():
            lines.append(f"~ {c['node_type']} {c['code']} {field}: {change['from']!r} -> {change['to']!r}")
    return {
        "from": from_version,
        "to": to_version,
        "added": added,
        "removed": removed,
        "changed": changed,
        "summary": "\n".join(lines),
    }


def _brief(node: dict[str, Any]) -> dict[str, Any]:
    return {"node_type": node["node_type"], "node_id": node["id"], "code": node["code"], "name": node.get("name")}
