from dgplan_shared.db.migrations import run_env

from kit_probe.tables import metadata

run_env(metadata)
