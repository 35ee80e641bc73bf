from dgplan_shared.db.migrations import run_env

from gateway.db.tables import metadata

run_env(metadata)
