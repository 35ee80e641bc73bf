"""Which fact of the read models each consumed event brings. The same code serves the live
consumer and the rebuild, so a rebuild reproduces the live read models exactly; it depends only
on the event, never on the clock or on monitoring's own data."""

from __future__ import annotations

from dgplan_shared.events import CloudEvent
from monitoring.adapters.read_model_projection import ReadModelProjection
from monitoring.events import types as t


async def project_event(projection: ReadModelProjection, event: CloudEvent) -> bool:
    """Apply one event to the read models; False when the type does not concern them."""
    data = event.data
    if event.type == t.PLAN_DRAFTED:
        await projection.plan_drafted(data)
    elif event.type == t.PLAN_VERSION_APPROVED:
        await projection.version_approved(data)
    elif event.type == t.PLAN_STRUCTURE_PUBLISHED:
        await projection.structure_published(data)
    elif event.type in (t.PROJECT_REGISTERED, t.PROJECT_CHANGED):
        await projection.project_snapshot(data)
    elif event.type in t.BUDGET_KINDS:
        await projection.budget_entry(t.BUDGET_KINDS[event.type], data)
    else:
        return False
    return True
