"""The installed dgplan services, found through the ``dgplan.services`` entry-point group.

The shared kit never imports a service by name; each service's pyproject declares itself.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from dgplan_shared.service import ServiceDefinition


def installed_services() -> dict[str, ServiceDefinition]:
    """Every installed service's definition, in its declared start order."""
    found = {ep.name: ep.load()() for ep in entry_points(group="dgplan.services")}
    return {name: found[name] for name in sorted(found, key=lambda n: (found[n].start_order, n))}


def installed_frontends() -> dict[str, ServiceDefinition]:
    """Web front ends (the console), found through the ``dgplan.frontends`` group: apps built like a
    service's but owning no data, publishing and consuming nothing, so the backend registry (and its
    migrations, topics, images and manifests) leaves them out."""
    found = {ep.name: ep.load()() for ep in entry_points(group="dgplan.frontends")}
    return {name: found[name] for name in sorted(found, key=lambda n: (found[n].start_order, n))}
