"""The delivery daemon's two use cases: claim what is due, and record what an attempt got.

Sending happens between the two, outside any transaction (a slow receiver must not hold a
database connection). A claim is a lease: if the daemon dies mid-send, the delivery is due again
when the lease runs out, and goes out with the same webhook-id.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from dgplan_shared.db.uow import UnitOfWork
from notifications.adapters.delivery_repository import FAILED, SUCCEEDED, Attempt, Claimed, DeliveryRepository
from notifications.adapters.endpoint_repository import EndpointRepository
from notifications.adapters.secret_box import SecretBox
from notifications.domain.endpoints import ACTIVE, DISABLED
from notifications.domain.retry_schedule import judge
from notifications.events.payloads import endpoint_disabled
from notifications.events.types import ENDPOINT_DISABLED


# The wake-up key of the delivery schedule: every transaction that makes a delivery due raises it
# (uow.wake), so the daemon sends at once instead of polling (dgplan_shared.outbox_wakeup).
DELIVERIES_DUE = "notifications.deliveries"


@dataclass(frozen=True)
class ClaimDue:
    now: datetime
    lease_seconds: float
    limit: int
    per_endpoint: int
    box: SecretBox


@dataclass(frozen=True)
class Due:
    delivery: Claimed
    secrets: list[str]


async def claim_due(command: ClaimDue, uow: UnitOfWork) -> list[Due]:
    lease = command.now + timedelta(seconds=command.lease_seconds)
    claimed = await DeliveryRepository(uow.session).claim_due(command.now, lease, command.limit,
                                                             command.per_endpoint)
    sealed = await EndpointRepository(uow.session).signing_secrets(
        sorted({c.endpoint_id for c in claimed}), command.now)
    return [Due(c, [command.box.open(s) for s in sealed.get(c.endpoint_id, [])]) for c in claimed]


async def next_due(uow: UnitOfWork) -> datetime | None:
    """When the daemon next has something to claim, if nothing wakes it before."""
    return await DeliveryRepository(uow.session).next_due()


@dataclass(frozen=True)
class RecordOutcome:
    delivery_id: str
    endpoint_id: str
    lease_until: datetime
    attempts_before: int
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    retry_after: str | None
    error: str | None
    schedule_factor: float = 1.0
    jitter: float = 0.0
    max_retry_after: float = 86400


async def record_outcome(command: RecordOutcome, uow: UnitOfWork, rng: random.Random | None = None) -> str:
    """The verdict's kind; a 410 or the schedule's last failure disables the endpoint, with an event."""
    deliveries = DeliveryRepository(uow.session)
    # The attempt frees a place under its endpoint's bound: a daemon whose due deliveries waited
    # for it (this one, or another replica) looks again now, not at its safety poll.
    uow.wake(DELIVERIES_DUE)
    await deliveries.record_attempt(command.delivery_id, Attempt(
        command.attempted_at, command.status_code, command.latency_ms, command.error))
    made = command.attempts_before + 1
    verdict = judge(command.status_code, made, command.retry_after, factor=command.schedule_factor,
                    jitter=command.jitter, max_retry_after=command.max_retry_after, rng=rng)
    finished_at = command.attempted_at + timedelta(milliseconds=command.latency_ms)
    lease = command.lease_until
    if verdict.kind == "succeeded":
        await deliveries.finish(command.delivery_id, lease, SUCCEEDED, made, command.status_code, finished_at)
    elif verdict.kind == "retry":
        assert verdict.delay is not None
        await deliveries.retry_at(command.delivery_id, lease, made, command.status_code,
                                  finished_at + timedelta(seconds=verdict.delay))
    elif not await deliveries.finish(command.delivery_id, lease, FAILED, made, command.status_code, finished_at):
        return "rescheduled"  # replayed meanwhile: it gets a new round of attempts, the endpoint stays
    else:
        reason = ("the receiver answered 410 Gone" if verdict.kind == "gone"
                  else f"delivery {command.delivery_id} failed on all {made} attempts of the retry schedule")
        await _disable(uow, command, reason, finished_at)
    return verdict.kind


async def _disable(uow: UnitOfWork, command: RecordOutcome, reason: str, at: datetime) -> None:
    repo = EndpointRepository(uow.session)
    endpoint = await repo.get(command.endpoint_id, for_update=True)
    if endpoint is None or endpoint.status != ACTIVE:
        return  # already disabled (or deleted): one notice is enough
    changed = replace(endpoint, status=DISABLED, disabled_reason=reason, version=endpoint.version + 1, updated_at=at)
    if await repo.save(changed, endpoint.version):
        await uow.publish(ENDPOINT_DISABLED, endpoint.id,
                          endpoint_disabled(endpoint.as_dict(), reason, at, command.delivery_id, command.status_code))
