"""The gateway's tables (its own database). Split by owner: the edge (clients, signing keys),
the governance engine (bodies, workflows, instances, decisions), the audit log."""

from dgplan_shared.db.messaging_tables import inbox_table, outbox_table, service_metadata

metadata = service_metadata()

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

# Imported for their side effect of adding tables to ``metadata`` (Alembic compares all of them).
from gateway.db import audit_tables, edge_tables, governance_tables  # noqa: E402,F401
