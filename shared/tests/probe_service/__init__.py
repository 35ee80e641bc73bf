"""A minimal service used only by the shared kit's tests: it proves the outbox, relay, inbox
consumer and dead-letter path end to end, without any domain in the way.

Its handler is deliberately NOT idempotent (it appends a row per handled event), so an event
applied twice shows up as two rows.
"""
