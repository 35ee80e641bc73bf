"""Read use case: the caller's own recent notice mails (whether each was sent, and why not)."""

from __future__ import annotations

from dataclasses import dataclass

from dgplan_contracts.identity import Principal, unauthenticated
from dgplan_shared.db.uow import UnitOfWork
from notifications.adapters.notice_mail_repository import MailRow, NoticeMails


@dataclass(frozen=True)
class MyMails:
    principal: Principal
    limit: int


async def my_mails(query: MyMails, uow: UnitOfWork) -> list[MailRow]:
    if query.principal.is_anonymous:
        raise unauthenticated("Notice mails belong to a signed-in person.")
    return await NoticeMails(uow.session).of_person(query.principal.subject, query.limit)
