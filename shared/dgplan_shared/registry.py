"""The installed dgplan services, found through the ``dgplan.services`` entry-point group.

The shared kit never imports a service by name; each service's pyproject declares itself.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from dgplan_shared.service import ServiceDefinition

# Start order for the embedded runner: producers before the gateway that fronts them.
ORDER = ("plan-registry", "budget-ledger", "monitoring", "gateway")


def installed_services() -> dict[str, ServiceDefinition]:
    found = {ep.name: ep.load()() for ep in entry_points(group="dgplan.services")}
    return {name: found[name] for name in sorted(found, key=lambda n: (ORDER.index(n) if n in ORDER else 99, n))}
