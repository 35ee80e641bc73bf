"""Use cases of a person's own notice settings: read them, set the address and language, turn a
kind off or on. Anyone signed in has their own (a notice reaches them only if they have an
address); nobody reads or changes another person's."""

from __future__ import annotations

from dataclasses import dataclass

from dgplan_contracts.identity import AGENCY, Principal, unauthenticated
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import conflict
from dgplan_shared.web.etags import require_if_match, version_etag
from notifications.adapters.notice_people_repository import Contact, NoticePeople
from notifications.domain.notices import KINDS, checked_address, checked_kind, checked_language

ETAG_KIND = "notice-contact"


@dataclass(frozen=True)
class NoticeSettings:
    subject: str
    contact: Contact | None
    preferences: dict[str, bool]

    @property
    def etag(self) -> str | None:
        return version_etag(ETAG_KIND, self.subject, self.contact.version) if self.contact else None


def _person(principal: Principal) -> str:
    if principal.is_anonymous:
        raise unauthenticated("Notice settings belong to a signed-in person.")
    return principal.subject


async def _settings(people: NoticePeople, subject: str) -> NoticeSettings:
    stored = await people.preferences(subject)
    return NoticeSettings(subject, await people.contact(subject), {k: stored.get(k, True) for k in KINDS})


@dataclass(frozen=True)
class GetSettings:
    principal: Principal


async def get_settings(query: GetSettings, uow: UnitOfWork) -> NoticeSettings:
    return await _settings(NoticePeople(uow.session), _person(query.principal))


@dataclass(frozen=True)
class SetContact:
    principal: Principal
    email: str
    language: str
    if_match: str | None


async def set_contact(command: SetContact, uow: UnitOfWork) -> NoticeSettings:
    """Create the contact, or change it under If-Match (someone may be changing it elsewhere)."""
    subject = _person(command.principal)
    people = NoticePeople(uow.session)
    email, language = checked_address(command.email), checked_language(command.language)
    # Submitter notices go to the agency the person acts for (taken from their identity, never sent).
    agency = command.principal.agency if command.principal.has(AGENCY) else None
    current = await people.contact(subject)
    now = utcnow()
    if current is None:
        if command.if_match is not None:  # an ETag of a contact that does not exist cannot match
            require_if_match(command.if_match, '"absent"', "notice contact")
        saved = await people.save_contact(Contact(subject, email, language, agency, 1, now), None)
    else:
        require_if_match(command.if_match, version_etag(ETAG_KIND, subject, current.version), "notice contact")
        saved = await people.save_contact(Contact(subject, email, language, agency, current.version + 1, now),
                                          current.version)
    if not saved:
        raise conflict("concurrent-change", "The notice contact changed meanwhile; read it again.")
    return await _settings(people, subject)


@dataclass(frozen=True)
class SetPreference:
    principal: Principal
    kind: str
    subscribed: bool


async def set_preference(command: SetPreference, uow: UnitOfWork) -> NoticeSettings:
    subject = _person(command.principal)
    people = NoticePeople(uow.session)
    await people.set_preference(subject, checked_kind(command.kind), command.subscribed, utcnow())
    return await _settings(people, subject)
