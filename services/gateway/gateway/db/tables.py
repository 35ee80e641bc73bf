"""The gateway's tables (its own database). Split by owner: the edge (clients, signing keys),
the governance engine (bodies, workflows, instances, decisions), the audit log."""

from sqlalchemy import MetaData

from dgplan_shared.db.messaging_tables import inbox_table, outbox_table

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

# Imported for their side effect of adding tables to ``metadata`` (Alembic compares all of them).
from gateway.db import audit_tables, edge_tables, governance_tables  # noqa: E402,F401
