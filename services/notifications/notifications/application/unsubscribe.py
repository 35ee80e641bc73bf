"""Use case: turn one kind of notice off from the signed link in a mail (no sign-in: the link's
token names the person and the kind, and only this service can make one)."""

from __future__ import annotations

from dataclasses import dataclass

from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError
from notifications.adapters.notice_people_repository import NoticePeople
from notifications.adapters.secret_box import SecretBox
from notifications.adapters.unsubscribe_tokens import BadToken, read_token
from notifications.domain.notices import KINDS


@dataclass(frozen=True)
class Unsubscribe:
    token: str
    box: SecretBox
    apply: bool = True  # False: only check the link (the confirmation page before the button)


@dataclass(frozen=True)
class Unsubscribed:
    kind: str
    subscribed: bool


def bad_link(detail: str) -> ProblemError:
    # 422 like any other value only this API can have issued (a cursor): the request is well
    # formed, the token in it is not one of ours (or no longer opens).
    return ProblemError(422, "bad-unsubscribe-link", "Bad unsubscribe link", detail)


async def handle(command: Unsubscribe, uow: UnitOfWork) -> Unsubscribed:
    try:
        subject, kind = read_token(command.box, command.token)
    except BadToken as exc:
        raise bad_link(str(exc)) from None
    if kind not in KINDS:
        raise bad_link("the link names a kind of notice that no longer exists")
    people = NoticePeople(uow.session)
    if command.apply:
        await people.set_preference(subject, kind, False, utcnow())
        return Unsubscribed(kind, False)
    return Unsubscribed(kind, (await people.preferences(subject)).get(kind, True))
