from dgplan_shared.db.migrations import run_env

from console.metadata import metadata

run_env(metadata)
