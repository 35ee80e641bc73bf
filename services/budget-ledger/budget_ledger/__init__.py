"""dgplan budget ledger: Budget frameworks, requests, screening rounds and decisions, allocations, commitments and disbursements as an append-only ledger."""
