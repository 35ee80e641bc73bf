"""``make run``'s demo people (one per role and body, two agencies) and the console's OAuth2 client.

Like the demo clients: passwords are generated once per installation, stored as argon2 hashes,
and kept in plain text only in the data directory's ``demo-people.txt`` (mode 600) so every run
can print them. The console's client secret is kept the same way in ``console-client.txt``, which
the embedded console reads.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from dgplan_contracts.identity import AGENCY, BODY_MEMBER, OPERATOR, SECRETARIAT
from dgplan_shared.service import Runtime
from gateway.edge.adapters.people_repository import get_person, insert_person, set_password_hash, set_redirect_uris
from gateway.edge.application.people_passwords import hash_password, verify_password
from gateway.edge.adapters.clients_repository import get_client, insert_client, update_client
from gateway.edge.domain.secrets_hashing import hash_secret, new_secret, verify_secret

COMMITTEE = "digital-government-committee"
SUBCOMMITTEE = "operations-budget-subcommittee"
CONSOLE_CLIENT = "dgplan-console"
CONSOLE_CALLBACK = "/auth/callback"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    name: str
    role: str
    agency: str | None = None
    body: str | None = None  # made a member of this body (role ``body_role``) by the gateway's setup
    body_role: str = "member"

    @property
    def subject(self) -> str:
        # The seeded bodies' demo members (governance seed_data.DEMO_MEMBERS) are these people: a
        # person signing in acts as the member the seed made, so the bodies keep their size and
        # quorum (adding people beside those members would change every body's majority).
        return f"demo-{self.username}"


DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("secretariat", "สุดา รักษ์แผน (ฝ่ายเลขานุการ สพร.)", SECRETARIAT, body="dga-secretariat",
               body_role="secretary"),
    DemoPerson("operator", "ประยุทธ ดูแลระบบ (ผู้ดูแลระบบ)", OPERATOR),
    DemoPerson("mof-staff", "มานี การคลัง (กระทรวงการคลัง)", AGENCY, agency="MOF"),
    DemoPerson("opdc-staff", "ปิติ พัฒนา (สำนักงาน ก.พ.ร.)", AGENCY, agency="OPDC"),
    # The chairs record their bodies' resolutions (a screening decision, the package), which a plain
    # member may not: each body has a demo person who holds that office (the seed's chair).
    DemoPerson("dgc-chair", "ประเสริฐ นำทาง (ประธานกรรมการรัฐบาลดิจิทัล)", BODY_MEMBER, body=COMMITTEE, body_role="chair"),
    DemoPerson("obs-chair", "วิไล ตรวจงบ (ประธานอนุกรรมการงบประมาณ)", BODY_MEMBER, body=SUBCOMMITTEE,
               body_role="chair"),
    DemoPerson("dgc-member-1", "สมชาย ใจดี (กรรมการรัฐบาลดิจิทัล)", BODY_MEMBER, body=COMMITTEE),
    DemoPerson("dgc-member-2", "สมหญิง ตั้งใจ (กรรมการรัฐบาลดิจิทัล)", BODY_MEMBER, body=COMMITTEE),
    DemoPerson("obs-member-1", "วีระ คำนวณ (อนุกรรมการงบประมาณ)", BODY_MEMBER, body=SUBCOMMITTEE),
    DemoPerson("obs-member-2", "อรุณี งบดี (อนุกรรมการงบประมาณ)", BODY_MEMBER, body=SUBCOMMITTEE),
    DemoPerson("nesdc", "กมล วางแผน (สศช.)", BODY_MEMBER, body="nesdc"),
    DemoPerson("cabinet", "ชูชาติ มติดี (คณะรัฐมนตรี)", BODY_MEMBER, body="cabinet"),
)


PEOPLE_FILE = "demo-people.txt"
CONSOLE_CLIENT_FILE = "console-client.txt"  # beside the demo clients' file; the embedded console reads it


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    known = {}
    for line in path.read_text().splitlines():
        name, _, secret = line.partition(" ")
        if name and secret and not name.startswith("#"):
            known[name] = secret.strip()
    return known


def _write(path: Path, header: str, values: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [header, *(f"{k} {v}" for k, v in values.items())]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    path.chmod(0o600)


def _new_password() -> str:
    # Easy to type from the banner, still 60 bits of entropy.
    return "-".join(secrets.token_hex(5)[:5] for _ in range(3))


async def ensure_demo_people(runtime: Runtime, path: Path) -> dict[str, str]:
    """Create missing demo people; give a new password to any whose plain password was lost. Idempotent."""
    known = _read(path)
    result: dict[str, str] = {}
    async with runtime.db.session() as session:
        for demo in DEMO_PEOPLE:
            person = await get_person(session, demo.username)
            password = known.get(demo.username)
            if person is not None and password and await asyncio.to_thread(
                verify_password, password, person.password_hash
            ):
                result[demo.username] = password
                continue
            password = _new_password()
            hashed = await asyncio.to_thread(hash_password, password)
            if person is None:
                await insert_person(
                    session, username=demo.username, subject=demo.subject, name=demo.name, password_hash=hashed,
                    roles=(demo.role,), agency=demo.agency,
                )
            else:
                await set_password_hash(session, person, hashed)
            result[demo.username] = password
        await session.commit()
    if result != known:
        _write(path, "# dgplan demo people: username password (plain text; keep this file private)", result)
    return result


async def ensure_console_client(runtime: Runtime, path: Path, base_url: str,
                                configured: str | None = None) -> tuple[str, str]:
    """The console's confidential client, allowed to send people back to ``base_url``'s callback.
    Its secret is ``configured`` when given (a console in its own container or pod is handed the
    same value), else the one kept in ``path``, else a new one."""
    known = configured or _read(path).get(CONSOLE_CLIENT)
    async with runtime.db.session() as session:
        client = await get_client(session, CONSOLE_CLIENT)
        if client is None or not known or not await asyncio.to_thread(verify_secret, known, client.secret_hash):
            known = configured or new_secret()
            hashed = await asyncio.to_thread(hash_secret, known)
            if client is None:
                # A relying party only: "public" is the least role; people's own roles come with their tokens.
                await insert_client(
                    session, client_id=CONSOLE_CLIENT, name="dgplan console (web application)", secret_hash=hashed,
                    roles=("public",), agency=None,
                )
            else:
                await update_client(session, client, secret_hash=hashed)
        await set_redirect_uris(session, CONSOLE_CLIENT, frozenset({base_url.rstrip("/") + CONSOLE_CALLBACK}))
        await session.commit()
    _write(path, "# the console's OAuth2 client: client_id secret (plain text; keep this file private)",
           {CONSOLE_CLIENT: known})
    return CONSOLE_CLIENT, known


def banner(base_url: str, passwords: dict[str, str], path: Path) -> str:
    width = max(len(u) for u in passwords)
    rows = []
    for demo in DEMO_PEOPLE:
        scope = demo.agency or demo.body or ""
        rows.append(f"  {demo.username:<{width}}  {passwords[demo.username]}  {demo.role} {scope}".rstrip())
    return (
        f"\nDemo people for the console at {base_url}/ (passwords also in {path}):\n" + "\n".join(rows) + "\n"
    )
