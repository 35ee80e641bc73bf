"""HTTP routes of the governance engine (thin: parse, authorize, call the use case)."""
