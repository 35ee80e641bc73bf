"""Event types this service publishes and consumes, and payload builders."""
