"""One module per use case or event handler: ``handle(command, uow)``; queries (reads) too."""
