"""Query: one stage under decision — what is decided, by which body, by when, the quorum and tally
as they stand with the voters' names (the body's roster), and for a plan version the redline
against the version it revises and the observations made so far with their answers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from console.adapters.gateway_client import GatewayClient
from console.application.inbox import subject_of
from console.application.observations_page import VersionObservations, of_versions
from console.application.screening_names import Names, names_for
from console.application.version_diff import compare
from console.domain.formatting import days_left, is_overdue
from console.domain.quorum import Standing, standing
from console.domain.redline import Redline
from console.domain.stage_record import RecordLine, record_of, stage_mode


@dataclass(frozen=True)
class ShowDecision:
    instance_id: str
    subject: str
    now: datetime


@dataclass(frozen=True)
class DecisionView:
    instance: dict[str, Any]
    body: dict[str, Any]
    subject_title: dict[str, str]
    version_number: int | None
    decisions: list[str]
    mode: str
    standing: Standing
    my_vote: dict[str, Any] | None
    is_member: bool
    overdue: bool
    days_left: int | None
    voter_names: dict[str, str]
    base_version: dict[str, Any] | None = None
    redline: Redline | None = None
    observations: tuple[VersionObservations, ...] = ()
    record: tuple[RecordLine, ...] = ()
    package: PackageContext | None = None
    body_titles: dict[str, dict[str, str]] = field(default_factory=dict)

    def voter(self, subject: str) -> str:
        """The person's name on the body's roster (the subject id only where the roster has none)."""
        return self.voter_names.get(subject) or subject


@dataclass(frozen=True)
class PackageContext:
    """What a screening round's package holds, for the committee deciding on it: the totals against
    the ceiling and the recommendations per strategy (the board has the rest, request by request)."""
    round: dict[str, Any]
    status: dict[str, Any]
    by_strategy: list[dict[str, Any]]
    names: Names


async def package_context(gateway: GatewayClient, round_id: str) -> PackageContext:
    base = f"/api/v1/screening/rounds/{round_id}"
    round_, status, strategies = await asyncio.gather(
        gateway.get(base), gateway.get(f"{base}/status"), gateway.all_items(f"{base}/status/strategies"))
    return PackageContext(round_, status, strategies, await names_for(gateway, round_["plan_id"]))


@dataclass(frozen=True)
class PlanContext:
    base_version: dict[str, Any] | None
    redline: Redline | None
    observations: tuple[VersionObservations, ...]


async def plan_context(gateway: GatewayClient, plan_id: str, version_id: str) -> PlanContext:
    """The version's base, the redline against it, and the observations on the version and on the
    base when the base is itself part of this approval (a revision answers its observations)."""
    version = await gateway.get(f"/api/v1/plans/{plan_id}/versions/{version_id}")
    base_id = version.get("based_on_version_id")
    base = await gateway.get(f"/api/v1/plans/{plan_id}/versions/{base_id}") if base_id else None
    reviewed = [version] + ([base] if base and base["status"] != "approved" else [])
    lines, observations = await asyncio.gather(
        compare(plan_id, base["id"], version_id, gateway) if base else asyncio.sleep(0, None),
        of_versions(gateway, plan_id, reviewed),
    )
    return PlanContext(base, lines, tuple(observations))


async def handle(query: ShowDecision, gateway: GatewayClient) -> DecisionView:
    instance = await gateway.get(f"/api/v1/governance/instances/{query.instance_id}")
    body, waiting, history = await asyncio.gather(
        gateway.get(f"/api/v1/governance/bodies/{instance['body']}") if instance.get("body") else asyncio.sleep(0, {}),
        gateway.all_items("/api/v1/governance/inbox"),
        gateway.all_items(f"/api/v1/governance/instances/{query.instance_id}/history"),
    )
    entry = next((i for i in waiting if i["id"] == instance["id"]), None)
    decisions = entry["decisions"] if entry else []
    mode = entry["mode"] if entry else await _mode_from_definition(gateway, instance)
    record = record_of(history)
    others = await _bodies(gateway, {line.body for line in record if line.body} - {instance.get("body")})
    members = body.get("members", [])
    active = [m for m in members if m.get("active")]
    votes = instance.get("votes", [])
    title, number = await subject_of(gateway, instance, {})
    context = PlanContext(None, None, ())
    if instance.get("plan_id") and instance.get("version_id"):
        context = await plan_context(gateway, instance["plan_id"], instance["version_id"])
    package = await package_context(gateway, instance["round_id"]) if instance.get("round_id") else None
    return DecisionView(
        instance=instance,
        body=body,
        subject_title=title,
        version_number=number,
        decisions=decisions,
        mode=mode,
        standing=standing(body.get("rule", {}), len(active), votes, decisions),
        my_vote=next((v for v in votes if v["voter"] == query.subject), None),
        is_member=entry is not None,
        overdue=is_overdue(instance.get("due_at"), query.now),
        days_left=days_left(instance.get("due_at"), query.now),
        voter_names={m["subject"]: m["name"] for b in [*others, body] for m in b.get("members", []) if m.get("name")},
        body_titles={b["code"]: b["name"] for b in [*others, body] if b.get("code")},
        base_version=context.base_version,
        redline=context.redline,
        observations=context.observations,
        record=tuple(record),
        package=package,
    )


async def _mode_from_definition(gateway: GatewayClient, instance: dict[str, Any]) -> str:
    """A non-member (or anyone once the stage is over) has no inbox entry: the workflow's definition
    says how the stage decides (read only then, so a member's page costs one request less)."""
    definitions = await gateway.get("/api/v1/governance/workflows")
    return stage_mode(definitions["items"], instance["workflow"], instance["definition_version"],
                      instance["stage"]) or "vote"


async def _bodies(gateway: GatewayClient, codes: set[str]) -> list[dict[str, Any]]:
    """The other bodies the record mentions: their names, and their rosters' names of who voted or decided."""
    return list(await asyncio.gather(*(gateway.get(f"/api/v1/governance/bodies/{c}") for c in sorted(codes))))
