from sqlalchemy import Column, Integer, String, Table

from dgplan_shared.db.idempotency import idempotency_table
from dgplan_shared.db.messaging_tables import inbox_table, outbox_table, service_metadata

metadata = service_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
idempotency_keys = idempotency_table(metadata)
things = Table(
    "things",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("budget", Integer, nullable=False),
)
