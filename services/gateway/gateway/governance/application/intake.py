"""Which events the engine handles, by which handler, from which topics."""

from __future__ import annotations

from dgplan_shared.consumer import EventHandlers
from gateway.governance.application import plan_intake, round_intake
from gateway.governance.events import types as ev

SUBSCRIPTIONS = ("plan-registry.plan.events", "plan-registry.observation.events", "budget-ledger.screening.events")


def register(handlers: EventHandlers) -> None:
    handlers.on(ev.PLAN_SUBMITTED)(plan_intake.on_version_submitted)
    handlers.on(ev.OBSERVATION_RAISED, ev.OBSERVATION_RESPONDED, ev.OBSERVATION_CLOSED)(plan_intake.on_observation)
    handlers.on(ev.ROUND_OPENED)(round_intake.on_round_opened)
    handlers.on(ev.PACKAGE_SUBMITTED, ev.ROUND_APPROVED, ev.ROUND_CLOSED)(round_intake.on_round_progress)
