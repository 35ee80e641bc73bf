"""The engine's events: their type names (``types``), their data (``payloads``) and JSON Schemas
(``schemas/``)."""
