"""A node's "contributes to" links against the frameworks loaded: the framework and its node exist,
one primary per framework, nothing twice."""

from __future__ import annotations

from typing import Any

from plan_registry.application.repositories import Repositories
from plan_registry.domain.alignment import check_links, unknown_link


async def check_framework_links(repos: Repositories, links: list[dict[str, Any]], field: str = "contributes_to") -> None:
    if not links:
        return
    check_links(links, field)
    frameworks = await repos.frameworks.codes_known({link["framework"] for link in links})
    nodes = await repos.frameworks.nodes_known({(link["framework"], link["node"]) for link in links})
    for i, link in enumerate(links):
        if (link["framework"], link["node"]) not in nodes:
            raise unknown_link(i, link, link["framework"] in frameworks, field)
