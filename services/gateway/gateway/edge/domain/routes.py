"""Which service answers which path prefix (docs/contracts.md, "Routes")."""

from __future__ import annotations

PREFIXES: dict[str, str] = {
    "/api/v1/plans": "plan-registry",
    "/api/v1/agencies": "plan-registry",
    "/api/v1/projects": "plan-registry",
    "/api/v1/observations": "plan-registry",
    "/api/v1/frameworks": "plan-registry",
    "/api/v1/budget": "budget-ledger",
    "/api/v1/screening": "budget-ledger",
    "/api/v1/monitoring": "monitoring",
    "/api/v1/webhooks": "notifications",
    "/api/v1/notices": "notifications",
}

SERVICES = ("plan-registry", "budget-ledger", "monitoring", "notifications")


def service_for(path: str) -> str | None:
    # "/api/v1/plansX" is not "/api/v1/plans": match whole segments only.
    for prefix, service in PREFIXES.items():
        if path.startswith(prefix) and (len(path) == len(prefix) or path[len(prefix)] == "/"):
            return service
    return None
