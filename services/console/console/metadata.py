"""The console owns no domain data: its database holds only the messaging tables every service
definition requires (it publishes and consumes nothing; the relay finds its outbox empty)."""

from dgplan_shared.db.messaging_tables import inbox_table, outbox_table, service_metadata

metadata = service_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
