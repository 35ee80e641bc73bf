"""The engine's use cases: one module per intent, each ``async def handle(command, uow)``, plus
the event handlers (``*_intake``), the deadline scan and the read queries."""
