"""Alignment to external frameworks: the rules of a framework's tree and of a node's links.

A framework (the 20-year National Strategy, a master plan, the NESDP...) is a tree of nodes by
code; its top-level nodes are its goals, which reports add budget up to. A plan node links to
framework nodes, each link primary or secondary with a rationale; per framework a node has at most
one primary link, so a baht of budget is counted to exactly one goal of each framework.
"""

from __future__ import annotations

from typing import Any, Iterable

from dgplan_shared.errors import ProblemError, invalid

FRAMEWORK_KINDS = ("national_strategy", "master_plan", "reform_plan", "nesdp", "sdg", "other")
PRIMARY, SECONDARY = "primary", "secondary"
# Deep enough for the National Strategy -> master plan -> sub-plan -> target ladder; a bound keeps
# a goal lookup a short walk.
MAX_DEPTH = 8


def check_tree(nodes: list[dict[str, Any]]) -> None:
    """Unique codes, parents that exist, no cycle, at most ``MAX_DEPTH`` deep; each failure names
    the node by its index."""
    index: dict[str, int] = {}
    for i, node in enumerate(nodes):
        if node["code"] in index:
            raise invalid(f"nodes[{i}].code", f"{node['code']!r} appears twice")
        index[node["code"]] = i
    parents = {n["code"]: n.get("parent_code") for n in nodes}
    for i, node in enumerate(nodes):
        parent = node.get("parent_code")
        if parent is not None and parent not in parents:
            raise invalid(f"nodes[{i}].parent_code", f"no node {parent!r} in this framework")
        depth, current = 1, parent
        while current is not None:
            depth += 1
            if current == node["code"] or depth > MAX_DEPTH:
                raise invalid(f"nodes[{i}].parent_code",
                              f"makes a cycle or a tree deeper than {MAX_DEPTH} levels")
            current = parents[current]
    if not any(n.get("parent_code") is None for n in nodes):
        raise invalid("nodes", "needs at least one top-level node (a goal)")


def goal_of(code: str, parents: dict[str, str | None]) -> str:
    """The top-level ancestor of ``code`` (itself when it is a goal). ``parents``: the framework's
    code -> parent code."""
    current = code
    for _ in range(MAX_DEPTH):
        parent = parents.get(current)
        if parent is None:
            return current
        current = parent
    return current  # check_tree lets no deeper tree in


def check_links(links: Iterable[dict[str, Any]], field: str = "contributes_to") -> None:
    """No link twice, one primary per framework."""
    seen: set[tuple[str, str]] = set()
    primary: dict[str, str] = {}
    for i, link in enumerate(links):
        key = (link["framework"], link["node"])
        if key in seen:
            raise invalid(f"{field}[{i}]", f"{link['framework']}/{link['node']} is linked twice")
        seen.add(key)
        if link["strength"] == PRIMARY:
            if link["framework"] in primary:
                raise invalid(f"{field}[{i}].strength",
                              f"{link['framework']} already has the primary link {primary[link['framework']]!r}; "
                              "a node has one primary link per framework (make the others secondary)")
            primary[link["framework"]] = link["node"]


def unknown_link(i: int, link: dict[str, Any], framework_known: bool, field: str = "contributes_to") -> ProblemError:
    if not framework_known:
        return invalid(f"{field}[{i}].framework", f"no framework {link['framework']!r}: load it first (PUT /api/v1/frameworks/{{code}})")
    return invalid(f"{field}[{i}].node", f"no node {link['node']!r} in framework {link['framework']!r}")


def sorted_links(links: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The order the API and the plan document give links in (so equal content is equal bytes)."""
    return sorted(links, key=lambda x: (x["framework"], x["strength"] != PRIMARY, x["node"]))
