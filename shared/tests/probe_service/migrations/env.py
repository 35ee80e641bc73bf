from dgplan_shared.db.migrations import run_env

from probe_service.definition import metadata

run_env(metadata)
