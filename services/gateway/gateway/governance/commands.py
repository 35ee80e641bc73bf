"""Command-line roles of the engine, for ``ServiceDefinition.commands`` (``dgplan-gateway <name>``):
``verify-audit`` and ``seed-governance``. The deadline scheduler is a daemon of the definition
(``dgplan-gateway scheduler``), run as its own process or as a task of the embedded suite."""

from __future__ import annotations

import sys

import orjson

from dgplan_shared.service import Runtime
from gateway.audit.verify import verify_stored_chain
from gateway.governance.seed import seed_governance


async def verify_audit_command(runtime: Runtime, args: list[str]) -> int:
    """Prints the verification as JSON; exit status 1 when the chain is broken."""
    async with runtime.db.session() as session:
        result = await verify_stored_chain(session)
    sys.stdout.write(orjson.dumps(result.to_json()).decode() + "\n")
    return 0 if result.ok else 1


async def seed_governance_command(runtime: Runtime, args: list[str]) -> int:
    added = await seed_governance(runtime, demo_members="--no-demo-members" not in args)
    sys.stdout.write(orjson.dumps(added).decode() + "\n")
    return 0


COMMANDS = {
    "verify-audit": verify_audit_command,
    "seed-governance": seed_governance_command,
}
