from dgplan_shared.db.migrations import run_env

from gateway.edge.adapters import tables as edge_tables  # noqa: F401 - adds the edge's tables
from gateway.edge.adapters import people_tables  # noqa: F401 - and its person accounts
from gateway.governance.adapters import audit_tables, tables as governance_tables  # noqa: F401 - and the engine's
from gateway.metadata import metadata

run_env(metadata)
