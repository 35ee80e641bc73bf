"""Use cases and event handlers: each ``handle(command, uow)``; queries (read use cases) too."""
