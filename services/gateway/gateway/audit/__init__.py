"""The append-only, hash-chained governance audit log and its verification."""
