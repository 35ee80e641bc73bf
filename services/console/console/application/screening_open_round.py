"""Use case of the secretariat: open a plan's screening round for a fiscal year with its ceiling
and two deadlines. The deadlines are typed as Bangkok days and mean the end of that day there;
the ledger decides what may open (a fiscal year outside the plan, a deadline already past, a
second round for the year are its refusals, shown as they are)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from console.adapters.gateway_client import GatewayClient
from console.domain.formatting import BANGKOK
from console.domain.funnel import parse_amount

END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class OpenRound:
    plan_id: str
    fiscal_year: str
    title: str
    ceiling: str
    submission_day: str
    decision_day: str
    idempotency_key: str


def deadline_at(day: str) -> str:
    """``2026-12-09`` → ``2026-12-09T23:59:59+07:00`` (the day's last second in Bangkok). Anything that
    is not an ISO day is passed on as typed, for the API to refuse by its field's name."""
    text = day.strip()
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        return text
    return datetime.combine(parsed, END_OF_DAY, BANGKOK).isoformat()


def round_body(command: OpenRound) -> dict[str, Any]:
    year = command.fiscal_year.strip()
    body: dict[str, Any] = {
        "plan_id": command.plan_id.strip(),
        # A year typed in ASCII digits is sent as the number the API reads; anything else as typed.
        "fiscal_year": int(year) if year.isascii() and year.isdigit() else year,
        "ceiling": parse_amount(command.ceiling) or "",
        "submission_deadline": deadline_at(command.submission_day),
        "decision_deadline": deadline_at(command.decision_day),
    }
    if command.title.strip():
        body["title"] = command.title.strip()
    return body


async def open_round(command: OpenRound, gateway: GatewayClient) -> dict[str, Any]:
    return await gateway.post("/api/v1/screening/rounds", round_body(command), idempotency_key=command.idempotency_key)


async def plans(gateway: GatewayClient) -> list[dict[str, Any]]:
    """The plans a round may be opened for, by code."""
    found = await gateway.all_items("/api/v1/plans")
    return sorted(found, key=lambda p: p.get("code") or "")
