"""``make run``'s demo clients: one per kind of caller, so a fresh install can be tried at once.

Secrets are generated once per installation, stored hashed in the database, and kept in plain
text only in the data directory's ``demo-clients.txt`` (mode 600) so every run can print them.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

from dgplan_contracts.identity import AGENCY, BODY_MEMBER, OPERATOR, SECRETARIAT
from dgplan_shared.service import Runtime
from gateway.edge.adapters.clients_repository import get_client, insert_client, update_client
from gateway.edge.domain.secrets_hashing import hash_secret, new_secret, verify_secret
from gateway.settings import Settings


@dataclass(frozen=True)
class DemoClient:
    client_id: str
    name: str
    role: str
    agency: str | None = None
    body: str | None = None  # the governance seed makes the subject a member of this body


DEMO_CLIENTS: tuple[DemoClient, ...] = (
    DemoClient("demo-secretariat", "Demo: DGA secretariat", SECRETARIAT),
    DemoClient("demo-operator", "Demo: operator", OPERATOR),
    DemoClient("demo-agency-mof", "Demo: Ministry of Finance system", AGENCY, agency="MOF"),
    DemoClient("demo-agency-opdc", "Demo: OPDC system", AGENCY, agency="OPDC"),
    DemoClient(
        "demo-dgc-chair", "Demo: digital government committee chair", BODY_MEMBER, body="digital-government-committee"
    ),
    DemoClient(
        "demo-dgc-member-1",
        "Demo: digital government committee member 1",
        BODY_MEMBER,
        body="digital-government-committee",
    ),
    DemoClient(
        "demo-dgc-member-2",
        "Demo: digital government committee member 2",
        BODY_MEMBER,
        body="digital-government-committee",
    ),
    DemoClient(
        "demo-obs-chair",
        "Demo: operations and budget subcommittee chair",
        BODY_MEMBER,
        body="operations-budget-subcommittee",
    ),
    DemoClient(
        "demo-obs-member-1",
        "Demo: operations and budget subcommittee member 1",
        BODY_MEMBER,
        body="operations-budget-subcommittee",
    ),
    DemoClient(
        "demo-obs-member-2",
        "Demo: operations and budget subcommittee member 2",
        BODY_MEMBER,
        body="operations-budget-subcommittee",
    ),
    DemoClient("demo-nesdc", "Demo: NESDC", BODY_MEMBER, body="nesdc"),
    DemoClient("demo-cabinet", "Demo: Cabinet", BODY_MEMBER, body="cabinet"),
)


def secrets_file(settings: Settings) -> Path:
    if settings.demo_clients_file:
        return Path(settings.demo_clients_file)
    return Path(os.environ.get("DGPLAN_DATA_DIR", "var")) / "demo-clients.txt"


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    known = {}
    for line in path.read_text().splitlines():
        client_id, _, secret = line.partition(" ")
        if client_id and secret and not client_id.startswith("#"):
            known[client_id] = secret.strip()
    return known


def _write(path: Path, secrets_by_client: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# dgplan demo clients: client_id secret (plain text; keep this file private)"]
    lines += [f"{cid} {secret}" for cid, secret in secrets_by_client.items()]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    path.chmod(0o600)


async def ensure_demo_clients(runtime: Runtime, path: Path) -> dict[str, str]:
    """Create missing demo clients; give a new secret to any whose plain secret was lost. Idempotent."""
    known = _read(path)
    result: dict[str, str] = {}
    async with runtime.uow() as uow:
        session = uow.session
        for demo in DEMO_CLIENTS:
            client = await get_client(session, demo.client_id)
            secret = known.get(demo.client_id)
            if client is not None and secret and await asyncio.to_thread(verify_secret, secret, client.secret_hash):
                result[demo.client_id] = secret
                continue
            secret = new_secret()
            hashed = await asyncio.to_thread(hash_secret, secret)
            if client is None:
                await insert_client(
                    session,
                    client_id=demo.client_id,
                    name=demo.name,
                    secret_hash=hashed,
                    roles=(demo.role,),
                    agency=demo.agency,
                )
            else:
                await update_client(session, client, secret_hash=hashed)
            result[demo.client_id] = secret
        await uow.commit()
    if result != known:
        _write(path, result)
    return result


def banner(base_url: str, secrets_by_client: dict[str, str], path: Path) -> str:
    width = max(len(c) for c in secrets_by_client)
    rows = []
    for demo in DEMO_CLIENTS:
        scope = demo.agency or demo.body or ""
        rows.append(f"  {demo.client_id:<{width}}  {secrets_by_client[demo.client_id]}  {demo.role} {scope}".rstrip())
    first = DEMO_CLIENTS[0].client_id
    return (
        f"\nDemo clients (secrets also in {path}):\n" + "\n".join(rows) + "\n\nGet a token and call the API:\n"
        f"  TOKEN=$(curl -s -u {first}:{secrets_by_client[first]} -d grant_type=client_credentials \\\n"
        f"      {base_url}/oauth2/token | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')\n"
        f'  curl -H "Authorization: Bearer $TOKEN" {base_url}/api/v1/plans\n'
    )
