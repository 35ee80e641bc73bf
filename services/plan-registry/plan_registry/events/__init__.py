"""The registry's events: type names (types.py), payloads (payloads.py), JSON Schemas (schemas/)."""
