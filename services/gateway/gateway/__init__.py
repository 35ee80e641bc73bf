"""dgplan gateway: The public entry point (routing, authentication, authorization, rate limits) and the governance workflow engine."""
