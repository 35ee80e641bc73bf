"""Test support: real PostgreSQL and Kafka on loopback, migrated databases, ASGI clients."""
