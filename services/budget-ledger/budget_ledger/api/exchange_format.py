"""Which file a download is and in which language, chosen as the services already choose CSV.

The services' CSV is chosen with a ``format`` query parameter (monitoring's
``format=json|csv``), so the downloads take ``format=xlsx|csv`` (XLSX by default); without the
parameter, an ``Accept`` of ``text/csv`` picks CSV. Headers and labels are Thai, or English with
``lang=en`` (without it, an ``Accept-Language`` that prefers English picks English).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Header, Query
from fastapi.responses import Response

from budget_ledger.adapters.spreadsheets import CSV, XLSX
from budget_ledger.api.exchange_labels import Lang

Format = Literal["xlsx", "csv"]

FormatQuery = Annotated[Format | None, Query(
    description="`xlsx` (the default) or `csv` (UTF-8 with a byte-order mark); without it, `Accept: text/csv` picks CSV")]
LangQuery = Annotated[Lang | None, Query(
    description="Headers and labels: `th` (the default) or `en`; without it, `Accept-Language` may pick English")]
AcceptHeader = Annotated[str | None, Header(alias="Accept", max_length=1000, include_in_schema=False)]
AcceptLanguageHeader = Annotated[str | None, Header(alias="Accept-Language", max_length=1000, include_in_schema=False)]


def chosen_format(requested: Format | None, accept: str | None) -> Format:
    if requested is not None:
        return requested
    media = [part.split(";", 1)[0].strip().lower() for part in (accept or "").split(",")]
    if "text/csv" in media and XLSX not in media:
        return "csv"
    return "xlsx"


def chosen_lang(requested: Lang | None, accept_language: str | None) -> Lang:
    if requested is not None:
        return requested
    ranked = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, position, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        if tag.startswith("th"):
            return "th"
        if tag.startswith("en"):
            return "en"
    return "th"


def file_response(content: bytes, fmt: Format, stem: str) -> Response:
    media = XLSX if fmt == "xlsx" else f"{CSV}; charset=utf-8"
    filename = f"{stem}.{fmt}"
    # ASCII stems (ids and years only), and the RFC 6266 form as well for clients that want it.
    disposition = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media, headers={"Content-Disposition": disposition,
                                                        "X-Content-Type-Options": "nosniff"})


def file_responses(description: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI answer of a download: the two media types, no JSON."""
    return {
        200: {
            "description": description,
            "content": {
                XLSX: {"schema": {"type": "string", "format": "binary"}},
                CSV: {"schema": {"type": "string"}},
            },
            "headers": {"Content-Disposition": {"schema": {"type": "string"},
                                                "description": "attachment; filename=\"….xlsx\" (or .csv)"}},
        }
    }
