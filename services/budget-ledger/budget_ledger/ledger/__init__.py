"""The append-only ledger: appropriations, their per-stage balances, and entries."""
