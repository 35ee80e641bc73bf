"""An agency brings many budget requests into a round at once, from the spreadsheet it downloaded.

All or nothing: every row goes through the same use cases as the single requests
(``submit_request`` for a new one, ``revise_request`` for a changed one), in one transaction;
every row's refusal is collected, and if there is any the whole file is refused (422, or 403 if a
row names a project the caller may not submit for) with each row's errors, and the transaction
rolls back, so nothing is written.

What a row means (so that a file exported from a round imports back to the same requests):

- no request for the row's project in the round: it is submitted;
- a request exists with the same amounts, justification, priority and multi-year flag: nothing
  (reported ``unchanged``);
- a request exists with other amounts or justification: a revision, which the ledger allows
  only for a request the subcommittee returned for revision, and only from the version the row
  names (the export's ``version`` column serves as If-Match; a stale one is refused);
- priority and the multi-year flag are set at submission and cannot be revised: a row changing
  them is refused.

Idempotent by the file: the file's SHA-256 is recorded (in the service's shared idempotency
store, in the same transaction) per caller and round, so the same file imported again, under any
Idempotency-Key, gets the first import's answer and has no second effect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from budget_ledger.adapters.tables import idempotency_keys
from budget_ledger.application import revise_request, submit_request
from budget_ledger.application.repositories import repositories
from dgplan_contracts.identity import Principal
from dgplan_shared.db.idempotency import IdempotencyStore
from dgplan_shared.db.uow import UnitOfWork
from dgplan_shared.errors import ProblemError, conflict
from dgplan_shared.text import normalize_text
from dgplan_shared.web.etags import version_etag

# Refusals about the round itself, not a row: the whole file gets them as they are.
ROUND_REFUSALS = frozenset({"round-not-open", "submission-deadline-passed", "not-found"})
_store = IdempotencyStore(idempotency_keys)


@dataclass(frozen=True)
class ImportRow:
    row: int  # the spreadsheet's row number (the header is row 1)
    project_id: str
    amounts: dict[str, Decimal]
    justification: str
    priority: int | None = None
    multi_year: bool = False
    request_id: str | None = None
    version: int | None = None


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str
    status: int = 422


@dataclass(frozen=True)
class ImportRequests:
    round_id: str
    rows: tuple[ImportRow, ...]
    principal: Principal
    file_sha256: str
    # Rows the api could not even read (a cell that is not an amount...): reported with the others.
    unreadable: tuple[RowError, ...] = ()
    # Where each field sits in the file, to name the column in an error: field -> (letter, header).
    columns: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def _file_scope(command: ImportRequests) -> tuple[str, str]:
    return f"{command.principal.subject}|import-file {command.round_id}", f"sha256:{command.file_sha256}"


async def handle(command: ImportRequests, uow: UnitOfWork) -> dict[str, Any]:
    scope, key = _file_scope(command)
    earlier = await _store.stored(uow.session, scope, key, command.file_sha256)
    if earlier is not None:
        return {**earlier.body, "file_already_imported": True}
    errors = list(command.unreadable)
    outcome: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for row in command.rows:
        if row.project_id in first_row:
            errors.append(RowError(row.row, "project_id", f"the project is already on row {first_row[row.project_id]}"))
            continue
        first_row[row.project_id] = row.row
        try:
            action, request_id = await _apply(command, row, uow)
        except ProblemError as refusal:
            if refusal.slug in ROUND_REFUSALS:
                raise
            errors.extend(_row_errors(row, refusal))
            continue
        outcome.append({"row": row.row, "action": action, "request_id": request_id, "project_id": row.project_id})
    if errors:
        raise _refused(command, errors)
    counts = {a: sum(o["action"] == a for o in outcome) for a in ("created", "revised", "unchanged")}
    summary = {"round_id": command.round_id, "file_sha256": command.file_sha256, "rows": outcome,
               "counts": counts, "file_already_imported": False}
    if not await _store.record(uow.session, scope, key, command.file_sha256, 200, summary):
        raise conflict("import-in-flight", "The same file is being imported by another request; retry.")
    return summary


def _same(existing: Mapping[str, Any], row: ImportRow) -> bool:
    return (
        {c: a for c, a in existing["amounts"].items() if a} == row.amounts
        and normalize_text(existing["justification"]) == normalize_text(row.justification)
    )


async def _apply(command: ImportRequests, row: ImportRow, uow: UnitOfWork) -> tuple[str, str]:
    repos = repositories(uow)
    principal = command.principal
    existing_id = await repos.screening.request_id_of(command.round_id, row.project_id)
    if existing_id is None:
        if row.request_id:
            raise _invalid("request_id", "no request with this id for this project in the round (leave it blank for a new one)")
        created = await submit_request.handle(
            submit_request.SubmitRequest(
                round_id=command.round_id, project_id=row.project_id, amounts=row.amounts,
                justification=row.justification, priority=row.priority, multi_year=row.multi_year, principal=principal,
            ),
            uow,
        )
        return "created", created["request_id"]
    existing = await repos.screening.request(existing_id)
    if not principal.acts_for_agency(existing["agency"]):
        raise ProblemError(403, "forbidden", "Not allowed", "Only the project's lead agency may submit or revise its request.")
    if row.request_id and row.request_id != existing_id:
        raise _invalid("request_id", f"the project's request in this round is {existing_id}")
    if row.priority != existing["priority"] or row.multi_year != bool(existing["multi_year"]):
        changed = "priority" if row.priority != existing["priority"] else "multi_year"
        raise _invalid(changed, "set when the request was submitted; it cannot be revised")
    if _same(existing, row):
        return "unchanged", existing_id
    if row.version is None:
        raise _invalid("version", "give the version of the request you revise (the export's version column)")
    revised = await revise_request.handle(
        revise_request.ReviseRequest(
            existing_id, row.amounts, row.justification, version_etag("request", existing_id, row.version), principal
        ),
        uow,
    )
    return "revised", revised["request_id"]


def _invalid(field_name: str, message: str) -> ProblemError:
    return ProblemError(422, "validation-error", "Request is not valid", f"{field_name}: {message}",
                        errors=[{"field": field_name, "message": message}])


def _row_errors(row: ImportRow, refusal: ProblemError) -> list[RowError]:
    listed = refusal.extensions.get("errors")
    if refusal.status == 422 and isinstance(listed, list) and listed:
        return [RowError(row.row, str(e.get("field") or "project_id"), str(e.get("message") or refusal.detail)) for e in listed]
    if refusal.status in (412, 428):  # the version the row names is not the request's current one
        return [RowError(row.row, "version", "the request has changed since this version; export it again")]
    if refusal.slug == "request-not-returned":
        return [RowError(row.row, "amounts", "the request exists and was not returned for revision: it cannot change",
                         409)]
    return [RowError(row.row, "project_id", refusal.detail or refusal.title, refusal.status)]


def _refused(command: ImportRequests, errors: list[RowError]) -> ProblemError:
    # Sorted as a person reads the sheet: by row, then column (A..Z, then AA..), then field.
    place = lambda e: command.columns.get(e.field, ("", ""))  # noqa: E731
    errors.sort(key=lambda e: (e.row, len(place(e)[0]), place(e)[0], e.field))
    listed = []
    for e in errors:
        letter, header = place(e)
        listed.append({"row": e.row, "column": letter or None, "header": header or None, "field": e.field,
                       "message": e.message})
    rows = len({e.row for e in errors})
    if any(e.status == 403 for e in errors):
        return ProblemError(403, "import-forbidden", "Not allowed",
                            "Some rows name projects whose requests only their lead agency may submit; nothing was imported.",
                            errors=listed)
    return ProblemError(422, "import-invalid", "The file is not valid",
                        f"{len(listed)} error(s) on {rows} row(s); nothing was imported.", errors=listed)

