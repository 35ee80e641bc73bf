"""Command-line roles of the engine, for ``ServiceDefinition.commands`` (``dgplan-gateway <name>``):
``scheduler`` (the durable deadline loop), ``verify-audit`` and ``seed-governance``."""

from __future__ import annotations

import asyncio
import signal
import sys

import orjson

from dgplan_shared.service import Runtime, build_runtime
from dgplan_shared.settings import ServiceSettings


def _runtime(settings: ServiceSettings) -> Runtime:
    from gateway.definition import definition  # late: the definition imports this package

    return build_runtime(definition(), settings)


async def _close(runtime: Runtime) -> None:
    await runtime.bus.stop()
    await runtime.db.dispose()


async def scheduler_command(settings: ServiceSettings, args: list[str]) -> int:
    from gateway.governance import scheduler

    runtime = _runtime(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await scheduler.run(runtime, stop)
    finally:
        await _close(runtime)
    return 0


async def verify_audit_command(settings: ServiceSettings, args: list[str]) -> int:
    """Prints the verification as JSON; exit status 1 when the chain is broken."""
    from gateway.audit.verify import verify_stored_chain

    runtime = _runtime(settings)
    try:
        async with runtime.db.session() as session:
            result = await verify_stored_chain(session)
    finally:
        await _close(runtime)
    sys.stdout.write(orjson.dumps(result.to_json()).decode() + "\n")
    return 0 if result.ok else 1


async def seed_governance_command(settings: ServiceSettings, args: list[str]) -> int:
    from gateway.governance.seed import seed_governance

    runtime = _runtime(settings)
    try:
        added = await seed_governance(runtime, demo_members="--no-demo-members" not in args)
    finally:
        await _close(runtime)
    sys.stdout.write(orjson.dumps(added).decode() + "\n")
    return 0


COMMANDS = {
    "scheduler": scheduler_command,
    "verify-audit": verify_audit_command,
    "seed-governance": seed_governance_command,
}
