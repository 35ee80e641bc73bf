from dgplan_shared.db.migrations import run_env

from plan_registry.db.tables import metadata

run_env(metadata)
