"""Any write this process answers drops the plan lists it keeps (``KeptReads.forget_lists``), so a
caller sees its own change in the next list at once; writes elsewhere show within the lists'
short keeping time. Pure ASGI: it adds nothing to reads."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from plan_registry.api.deps import kept_reads_of

READS = frozenset({"GET", "HEAD", "OPTIONS"})


class ForgetListsAfterWrites:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READS:
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:  # after the commit (the route commits before it answers), whatever the outcome
            runtime = getattr(scope["app"].state, "runtime", None)
            if runtime is not None:
                kept_reads_of(runtime).forget_lists()
