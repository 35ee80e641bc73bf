"""Plan registry: the source of truth for what a plan says and who is responsible for what."""
