from dgplan_shared.db.migrations import run_env

from notifications.adapters.tables import metadata

run_env(metadata)
