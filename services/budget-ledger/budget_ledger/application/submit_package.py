"""The subcommittee hands the screened package to the committee.

Refused while any request is unscreened, and when the recommended total is above the round's
ceiling (the committee's approval posts exactly the recommended amounts, so that is where an
approval above the ceiling is stopped; the approval re-checks it in its own transaction). A round
with a priority ranking goes only with every request scored on every criterion (409
``ranking-incomplete``): the committee approves the ranking with the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from budget_ledger.application import ranking
from budget_ledger.application.repositories import repositories
from budget_ledger.domain.screening import RoundStatus
from budget_ledger.events.types import PACKAGE_SUBMITTED
from dgplan_contracts.money import money_str
from dgplan_shared.db.types import utcnow
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError, conflict


@dataclass(frozen=True)
class SubmitPackage:
    round_id: str
    submitted_by: str
    note: str | None = None


async def handle(command: SubmitPackage, uow: UnitOfWork) -> Any:
    repos = repositories(uow)
    round_id = command.round_id
    round_row = await repos.screening.round(round_id, lock=True)
    if round_row["status"] != RoundStatus.OPEN.value:
        raise conflict("round-not-open", f"The round is {round_row['status']}; its package was already submitted.")
    unscreened, count, recommended = await repos.screening.package_figures(round_id)
    if count == 0:
        raise conflict("round-empty", "The round has no requests to put in a package.")
    if unscreened:
        raise ProblemError(
            409,
            "requests-unscreened",
            "Conflict",
            f"{unscreened} request(s) still have no decision.",
            unscreened=unscreened,
        )
    ranked = await ranking.check_for_package(repos, round_row)  # a ranking goes to the committee complete
    if recommended > round_row["ceiling"]:
        raise ProblemError(
            422,
            "approvals-above-ceiling",
            "Request is not valid",
            f"The recommended total {money_str(recommended)} is above the round's ceiling "
            f"{money_str(round_row['ceiling'])}; reduce or defer requests first.",
            recommended_total=money_str(recommended),
            ceiling=money_str(round_row["ceiling"]),
        )
    await repos.screening.change_round(round_id, status=RoundStatus.PACKAGE_SUBMITTED.value, package_submitted_at=utcnow())
    await uow.publish(
        PACKAGE_SUBMITTED,
        round_id,
        {
            "round_id": round_id,
            "plan_id": round_row["plan_id"],
            "fiscal_year": round_row["fiscal_year"],
            "ceiling": money_str(round_row["ceiling"]),
            "recommended_total": money_str(recommended),
            "request_count": count,
            "submitted_by": command.submitted_by,
            "note": command.note,
            "ranking": ranked,
        },
    )
    return await repos.screening.round(round_id)
