"""Spreadsheet exchange: downloads (XLSX or CSV) of a round's requests, its screening status and
the ledger's balances, and the bulk import of budget requests from the requests download."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from budget_ledger.adapters.spreadsheets import CSV, XLSX, Sheet, SpreadsheetError, TooManyRows, read_rows, write_csv, write_xlsx
from budget_ledger.api.deps import Caller, IdempotencyKey, RuntimeDep, read
from budget_ledger.api.exchange_format import (
    AcceptHeader,
    AcceptLanguageHeader,
    Format,
    FormatQuery,
    LangQuery,
    chosen_format,
    chosen_lang,
    file_response,
    file_responses,
)
from budget_ledger.api.report_sheets import STATUS_TABLES, balances_sheet, status_sheets
from budget_ledger.api.request_sheets import MAX_IMPORT_ROWS, TemplateError, read_template, requests_sheet
from budget_ledger.application import exchange_queries, import_requests
from budget_ledger.application.ledger_queries import GROUP_LEVELS
from budget_ledger.domain.screening import DECISIONS, UNSCREENED
from budget_ledger.domain.stages import ExpenseCategory
from dgplan_contracts.fiscal import FiscalYear
from dgplan_contracts.identity import AGENCY, require_role
from dgplan_shared.commands import run_command
from dgplan_shared.errors import ProblemError, invalid
from dgplan_shared.problems import PROBLEM_RESPONSES, checked_idempotency_key
from dgplan_shared.web.url_guards import refuse_bad_text_in_url

# The shared body limit (1 MiB, RequestContextMiddleware) answers 413 before this route runs; this
# one holds for any deployment that raises it.
MAX_IMPORT_BYTES = 1_048_576
# Code generators (openapi-python-client) send a file as application/octet-stream: accepted too,
# the format then told by its first bytes (an XLSX is a zip archive).
OCTET_STREAM = "application/octet-stream"
IMPORT_MEDIA_TYPES = frozenset({XLSX, CSV, OCTET_STREAM})
_ZIP_MAGIC = b"PK\x03\x04"
ContentType = Annotated[str | None, Header(alias="Content-Type", max_length=200, include_in_schema=False)]

IMPORT_DESCRIPTION = f"""\
The file is the **request body** itself (no multipart), as `{XLSX}` or `text/csv` (UTF-8, a
byte-order mark allowed), or as `application/octet-stream` (what code generators send for a file;
an XLSX is told by its zip signature, anything else is read as CSV): the download `GET …/exports/requests` (or the empty
`…/exports/requests-template`) filled in. At most {MAX_IMPORT_ROWS} rows and {MAX_IMPORT_BYTES} bytes
(413 beyond). Headers may be Thai, English or the column codes; only the writable columns are read
(request ID, project ID, one amount per expense category, justification, priority, multi-year,
version); the others are ignored.

All or nothing: every row is checked by the same rules as `POST …/requests` and `…/revision`; if
any row is refused, nothing is written and the answer (422 `urn:dgplan:problem:import-invalid`, or 403
`…:import-forbidden` when a row names a project the caller does not lead) lists **every** row's errors
as `errors: [{{row, column, header, field, message}}]` (`row` as the spreadsheet numbers it, the headers
being row 1; `column` its letter).

A row for a project without a request in the round submits one; a row equal to the existing
request (amounts, justification, priority, multi-year) changes nothing (`unchanged`), so a
download imports back to the same requests; a row with other amounts or justification revises the
request, which needs the request to have been returned for revision and the row's `version` to be
the current one.

Idempotency-Key is required, as on every POST that creates money; beyond it the import is
idempotent by the file: the same bytes imported again by the same client into the same round
(under any key) answer with the first import's outcome (`file_already_imported: true`) and have no
second effect.
"""


def _upload_body() -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": "The filled-in template, as the raw body",
            "content": {
                XLSX: {"schema": {"type": "string", "format": "binary"}},
                CSV: {"schema": {"type": "string"}},
                OCTET_STREAM: {"schema": {"type": "string", "format": "binary"},
                               "description": "either of the two; an XLSX is recognised by its zip signature"},
            },
        }
    }


def _sheets_response(sheets: list[Sheet], fmt: Format, stem: str, csv_sheet: Sheet | None = None) -> Response:
    if fmt == "xlsx":
        return file_response(write_xlsx(sheets), fmt, stem)
    return file_response(write_csv(csv_sheet or sheets[0]), fmt, stem)


def router() -> APIRouter:
    r = APIRouter(tags=["exchange"], responses=PROBLEM_RESPONSES, dependencies=[Depends(refuse_bad_text_in_url)])

    @r.get(
        "/api/v1/screening/rounds/{round_id}/exports/requests", response_class=Response,
        summary="A round's requests with their decisions as XLSX or CSV (the bulk-import template)",
        description=(
            "The same requests as `GET …/rounds/{round_id}/requests` (an agency gets its own agency's only), "
            "one row each, with names and decision labels; amounts are numbers with two decimals. "
            "Import it back (filled in or changed) with `POST …/requests/import`."
        ),
        responses=file_responses("The requests as a spreadsheet"),
    )
    async def export_requests(
        round_id: str, runtime: RuntimeDep, principal: Caller, format: FormatQuery = None, lang: LangQuery = None,
        decision: Literal[(*DECISIONS, UNSCREENED)] | None = None,  # type: ignore[valid-type]
        strategy_id: Annotated[str | None, Query(max_length=64)] = None,
        agency: Annotated[str | None, Query(max_length=50)] = None,
        accept: AcceptHeader = None, accept_language: AcceptLanguageHeader = None,
    ) -> Response:
        filters = {"decision": decision, "strategy_id": strategy_id, "agency": agency}
        found = await read(runtime, exchange_queries.round_requests,
                           exchange_queries.RoundRequests(round_id, principal, filters))
        sheet = requests_sheet(found.requests, found.names, chosen_lang(lang, accept_language))
        return _sheets_response([sheet], chosen_format(format, accept), f"requests-{found.round['fiscal_year']}-{round_id}")

    @r.get(
        "/api/v1/screening/rounds/{round_id}/exports/requests-template", response_class=Response,
        summary="An empty bulk-import template for a round (XLSX or CSV)",
        responses=file_responses("The template's header row"),
    )
    async def export_template(
        round_id: str, runtime: RuntimeDep, principal: Caller, format: FormatQuery = None, lang: LangQuery = None,
        accept: AcceptHeader = None, accept_language: AcceptLanguageHeader = None,
    ) -> Response:
        found = await read(runtime, exchange_queries.template_round, exchange_queries.TemplateFor(round_id, principal))
        sheet = requests_sheet([], exchange_queries.Names(), chosen_lang(lang, accept_language))
        return _sheets_response([sheet], chosen_format(format, accept), f"requests-template-{found['fiscal_year']}-{round_id}")

    @r.get(
        "/api/v1/screening/rounds/{round_id}/exports/status", response_class=Response,
        summary="Screening status as XLSX (round, summary, per strategy, per agency) or one table as CSV",
        description="Who may: as `GET …/rounds/{round_id}/status` (oversight roles and bodies' members).",
        responses=file_responses("The screening status as a spreadsheet"),
    )
    async def export_status(
        round_id: str, runtime: RuntimeDep, principal: Caller, format: FormatQuery = None, lang: LangQuery = None,
        table: Annotated[Literal[STATUS_TABLES] | None, Query(  # type: ignore[valid-type]
            description="CSV holds one table: which (default `summary`); XLSX has them all, a sheet each")] = None,
        accept: AcceptHeader = None, accept_language: AcceptLanguageHeader = None,
    ) -> Response:
        tables = await read(runtime, exchange_queries.status_tables, exchange_queries.StatusExport(round_id, principal))
        sheets = status_sheets(tables, chosen_lang(lang, accept_language))
        chosen = sheets[STATUS_TABLES.index(table or "summary")]
        return _sheets_response(sheets, chosen_format(format, accept),
                                f"screening-status-{tables.summary['fiscal_year']}-{round_id}", chosen)

    @r.get(
        "/api/v1/budget/exports/balances", response_class=Response,
        summary="Ledger balances per stage as XLSX or CSV, grouped as `GET /api/v1/budget/balances`",
        description="An agency gets its own agency's money only (asking for another agency's is a 403).",
        responses=file_responses("The balances as a spreadsheet"),
    )
    async def export_balances(
        runtime: RuntimeDep, principal: Caller, format: FormatQuery = None, lang: LangQuery = None,
        group_by: Annotated[str, Query(max_length=200, description=f"comma-separated: {', '.join(GROUP_LEVELS)}")] = "strategy",
        plan_id: Annotated[str | None, Query(max_length=64)] = None,
        strategy_id: Annotated[str | None, Query(max_length=64)] = None,
        project_id: Annotated[str | None, Query(max_length=64)] = None,
        fiscal_year: Annotated[FiscalYear | None, Query()] = None,
        expense_category: ExpenseCategory | None = None,
        agency: Annotated[str | None, Query(max_length=50)] = None,
        accept: AcceptHeader = None, accept_language: AcceptLanguageHeader = None,
    ) -> Response:
        levels = [g.strip() for g in group_by.split(",") if g.strip()]
        if not levels or any(g not in GROUP_LEVELS for g in levels) or len(set(levels)) != len(levels):
            raise invalid("group_by", f"use distinct values among {', '.join(GROUP_LEVELS)}")
        filters = {"plan_id": plan_id, "strategy_id": strategy_id, "project_id": project_id, "fiscal_year": fiscal_year,
                   "expense_category": expense_category.value if expense_category else None, "agency": agency}
        table = await read(runtime, exchange_queries.balance_table,
                           exchange_queries.BalancesExport(levels, filters, principal))
        sheet = balances_sheet(table, chosen_lang(lang, accept_language))
        return _sheets_response([sheet], chosen_format(format, accept), f"balances-by-{'-'.join(levels)}")

    @r.post(
        "/api/v1/screening/rounds/{round_id}/requests/import",
        summary="Import budget requests from a filled-in template (XLSX or CSV; all rows or none)",
        description=IMPORT_DESCRIPTION, openapi_extra=_upload_body(),
        responses={200: {"description": "Every row applied: what each row did (created, revised, unchanged)"}},
    )
    async def import_route(
        round_id: str, request: Request, principal: Caller, idempotency_key: IdempotencyKey = None,
        content_type: ContentType = None,
    ) -> Response:
        checked_idempotency_key(idempotency_key)  # before the file is read: a retry must be safe to send
        require_role(principal, AGENCY)
        media = (content_type or "").split(";", 1)[0].strip().lower()
        if media not in IMPORT_MEDIA_TYPES:
            raise ProblemError(415, "unsupported-media-type", "Unsupported media type",
                               f"Send the file as the body with Content-Type {XLSX}, {CSV} or {OCTET_STREAM}.")
        data = await request.body()
        if len(data) > MAX_IMPORT_BYTES:
            raise ProblemError(413, "payload-too-large", "Payload too large",
                               f"The file exceeds {MAX_IMPORT_BYTES} bytes.", limit=MAX_IMPORT_BYTES)
        if not data:
            raise invalid("body", "the file is empty")
        if media == OCTET_STREAM:
            media = XLSX if data.startswith(_ZIP_MAGIC) else CSV
        try:
            template = read_template(read_rows(data, media, MAX_IMPORT_ROWS))
        except TooManyRows as exc:
            raise ProblemError(413, "import-too-many-rows", "Too many rows",
                               f"At most {exc.limit} rows per file; split it.", limit=exc.limit) from None
        except SpreadsheetError as exc:
            raise invalid("body", str(exc), slug="unreadable-spreadsheet") from None
        except TemplateError as exc:
            raise ProblemError(422, "import-invalid", "The file is not valid",
                               "The header row is not the template's; nothing was imported.", errors=exc.errors) from None
        digest = hashlib.sha256(data).hexdigest()
        command = import_requests.ImportRequests(
            round_id, template.rows, principal, digest, template.errors, template.columns,
        )
        return await run_command(
            request, import_requests.handle, command, status=200,
            idempotency_key=idempotency_key, payload={"round_id": round_id, "file_sha256": digest},
            subject=principal.subject, require_key=True,
        )

    return r
