"""HTTP routes of the governance engine and the audit log: parse, authorize, call one use case
through the command pipeline (writes) or a query (reads), shape the answer."""
