"""dgplan's common plumbing. Domain models and event payloads belong to the services."""
