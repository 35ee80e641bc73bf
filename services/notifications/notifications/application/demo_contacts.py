"""``make run`` only: notice addresses for the demo people, so that notices are made there.

The built-in issuer's person accounts carry no address (and an external identity provider sends
no person events), so a person sets theirs through ``PUT /api/v1/notices/me``; the demo does it
for them. The subjects are the demo people's and demo members' token subjects (the gateway's
demo people and governance seed); ``.invalid`` (RFC 2606) can never be delivered to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from dgplan_shared.commands import execute
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.service import Runtime
from notifications.adapters.notice_people_repository import Contact, NoticePeople

DOMAIN = "demo.dgplan.invalid"
DEMO_SUBJECTS: tuple[tuple[str, str | None], ...] = (
    ("demo-secretariat", None), ("demo-operator", None), ("demo-mof-staff", "MOF"), ("demo-opdc-staff", "OPDC"),
    ("demo-dgc-chair", None), ("demo-dgc-member-1", None), ("demo-dgc-member-2", None),
    ("demo-obs-chair", None), ("demo-obs-member-1", None), ("demo-obs-member-2", None),
    ("demo-nesdc", None), ("demo-cabinet", None),
)


@dataclass(frozen=True)
class SeedDemoContacts:
    pass


async def handle(command: SeedDemoContacts, uow: UnitOfWork) -> int:
    """How many were added (a person's own later change is kept)."""
    people = NoticePeople(uow.session)
    now = utcnow()
    added = 0
    for subject, agency in DEMO_SUBJECTS:
        if await people.contact(subject) is None:
            added += await people.save_contact(Contact(subject, f"{subject}@{DOMAIN}", "th", agency, 1, now), None)
    return added


async def embedded_setup(runtime: Runtime) -> None:
    await execute(runtime.uow, handle, SeedDemoContacts())
