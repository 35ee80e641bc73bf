"""The gateway's database as one SQLAlchemy metadata: the shared messaging and idempotency tables
here, the edge's and the governance engine's own tables in their halves' ``adapters``
(``gateway.migrations.env`` and the definition import those modules, which adds their tables)."""

from dgplan_shared.db.idempotency import idempotency_table
from dgplan_shared.db.messaging_tables import inbox_table, outbox_table, service_metadata

metadata = service_metadata()

outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
idempotency_keys = idempotency_table(metadata)
