"""A minimal service used only by the command pipeline's tests: one table of things, the shared
messaging and idempotency tables, created by the shared migration helpers."""
