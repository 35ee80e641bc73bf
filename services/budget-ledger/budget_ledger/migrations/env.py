from dgplan_shared.db.migrations import run_env

from budget_ledger.adapters.tables import metadata

run_env(metadata)
