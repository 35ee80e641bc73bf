"""A round's budget requests as a spreadsheet, and that spreadsheet read back as requests.

The export is the import template: the same columns, with the request's identity, amounts and
text, and the subcommittee's decision beside them for reading. On import the columns marked
``writable`` are read; the others (names, totals, the decision) are the ledger's and ignored.
A header is recognised in Thai, in English or as the column's code, so a file exported in either
language imports. Each row is checked by the wire model of a single request (``RequestIn``:
money rules, lengths, the one text normalizer), so a row is refused exactly as the same request
sent alone would be.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from budget_ledger.adapters.spreadsheets import Sheet
from budget_ledger.api.exchange_labels import CATEGORIES, DECISIONS, YES_NO, Lang, pick, titled, word
from budget_ledger.api.schemas import RequestIn
from budget_ledger.application.exchange_queries import Names
from budget_ledger.application.import_requests import ImportRow, RowError
from budget_ledger.domain.stages import CATEGORIES as CATEGORY_CODES
from dgplan_shared.text import normalize_text


@dataclass(frozen=True)
class Column:
    code: str
    th: str
    en: str
    kind: str = "text"  # text | money | integer
    writable: bool = False
    width: int = 14

    def header(self, lang: Lang) -> str:
        return self.th if lang == "th" else self.en


COLUMNS: tuple[Column, ...] = (
    Column("request_id", "รหัสคำขอ", "Request ID", writable=True, width=38),
    Column("project_id", "รหัสโครงการ", "Project ID", writable=True, width=30),
    Column("project", "โครงการ", "Project", width=40),
    Column("strategy", "ยุทธศาสตร์", "Strategy", width=40),
    Column("agency", "หน่วยงานเจ้าของโครงการ", "Lead agency"),
    *(Column(c, f"{th} (บาท)", f"{en} (baht)", "money", writable=True, width=18) for c, (th, en) in CATEGORIES.items()),
    Column("requested_total", "รวมวงเงินที่ขอ (บาท)", "Requested total (baht)", "money", width=18),
    Column("justification", "เหตุผลความจำเป็น", "Justification", writable=True, width=50),
    Column("priority", "ลำดับความสำคัญของหน่วยงาน", "Agency priority", "integer", writable=True),
    Column("multi_year", "ผูกพันข้ามปีงบประมาณ", "Multi-year", writable=True),
    Column("decision", "ผลการพิจารณา", "Decision", width=30),
    Column("recommended_total", "วงเงินที่เห็นควรสนับสนุน (บาท)", "Recommended (baht)", "money", width=18),
    Column("approved_total", "วงเงินที่อนุมัติ (บาท)", "Approved (baht)", "money", width=18),
    Column("rank", "ลำดับความสำคัญ (คณะอนุกรรมการ)", "Subcommittee rank", "integer"),
    Column("version", "ฉบับที่", "Version", "integer", writable=True),
)
BY_CODE = {c.code: c for c in COLUMNS}
SHEET_NAME = {"th": "คำของบประมาณ", "en": "Budget requests"}
MAX_IMPORT_ROWS = 1000


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def requests_sheet(rows: Sequence[dict[str, Any]], names: Names, lang: Lang) -> Sheet:
    yes, no = YES_NO[lang]
    out = []
    for r in rows:
        amounts = r["amounts"] or {}
        values = {
            "request_id": r["request_id"],
            "project_id": r["project_id"],
            "project": titled(names.projects.get(r["project_id"]), lang),
            "strategy": titled(names.strategies.get(r["strategy_id"]), lang, r["strategy_id"]),
            "agency": r["agency"],
            **{c: amounts.get(c) or None for c in CATEGORY_CODES},
            "requested_total": r["requested_total"],
            "justification": r["justification"],
            "priority": r["priority"],
            "multi_year": yes if r["multi_year"] else no,
            "decision": word(DECISIONS, r["decision"] or "unscreened", lang),
            "recommended_total": r["recommended_total"],
            "approved_total": r["approved_total"],
            "rank": r["rank"],
            "version": r["version"],
        }
        out.append([values[c.code] for c in COLUMNS])
    return Sheet(SHEET_NAME[lang], [c.header(lang) for c in COLUMNS], [c.kind for c in COLUMNS], out,
                 [c.width for c in COLUMNS])


# --- reading a filled template ----------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", normalize_text(text)).strip().casefold()


_HEADERS = {_key(label): c for c in COLUMNS for label in (c.code, c.th, c.en)}
_TRUE = {"ใช่", "yes", "y", "true", "1", "x"}
_FALSE = {"ไม่ใช่", "no", "n", "false", "0", ""}
_THOUSANDS = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,2})?$")


@dataclass(frozen=True)
class ReadTemplate:
    rows: tuple[ImportRow, ...]
    errors: tuple[RowError, ...]
    columns: dict[str, tuple[str, str]]  # field -> (column letter, header as in the file)


class TemplateError(ValueError):
    """The header row itself is wrong: nothing below it can be read."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return str(value).strip()


def read_template(grid: list[list[Any]]) -> ReadTemplate:
    if not grid or not any(_text(v) for v in grid[0]):
        raise TemplateError([{"row": 1, "column": "A", "field": None, "header": None,
                              "message": "the first row must hold the template's headers"}])
    where: dict[str, int] = {}
    problems = []
    for index, raw in enumerate(grid[0]):
        header = _text(raw)
        if not header:
            continue
        column = _HEADERS.get(_key(header))
        if column is None:
            problems.append({"row": 1, "column": _letter(index), "field": None, "header": header,
                             "message": "not a column of the template (download it again)"})
        elif column.code in where:
            problems.append({"row": 1, "column": _letter(index), "field": column.code, "header": header,
                             "message": f"the column appears twice (also {_letter(where[column.code])})"})
        else:
            where[column.code] = index
    for required in ("project_id", "justification"):
        if required not in where:
            problems.append({"row": 1, "column": None, "field": required, "header": BY_CODE[required].th,
                             "message": "a required column is missing"})
    if not any(c in where for c in CATEGORY_CODES):
        problems.append({"row": 1, "column": None, "field": "amounts", "header": None,
                         "message": "no amount column (one per expense category)"})
    if problems:
        raise TemplateError(problems)
    columns = {code: (_letter(i), _text(grid[0][i])) for code, i in where.items()}
    for c in CATEGORY_CODES:
        if c in columns:
            columns[f"amounts.{c}"] = columns[c]
            columns.setdefault("amounts", columns[c])
    rows, errors = [], []
    for number, cells in enumerate(grid[1:], start=2):
        if not any(_text(v) for v in cells):
            continue  # blank lines between rows are not requests
        got = {code: (cells[i] if i < len(cells) else None) for code, i in where.items()}
        row, row_errors = _row(number, got)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    return ReadTemplate(tuple(rows), tuple(errors), columns)


def _amount(value: Any) -> str | None:
    """A cell as the wire's decimal string (validated by the wire model), or None when empty/zero."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return None if value == 0 else format(value, "f")
    text = _text(value).replace("\u00a0", "").replace(" ", "")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        if text and re.fullmatch(r"[0-9.]+", text) and Decimal(text) == 0:
            return None
    except InvalidOperation:
        pass
    return text or None


def _integer(row: int, name: str, value: Any, errors: list[RowError]) -> int | None:
    if value is None or _text(value) == "":
        return None
    text = _text(value)
    if isinstance(value, Decimal) and value != value.to_integral_value():
        errors.append(RowError(row, name, "a whole number"))
        return None
    if not re.fullmatch(r"[0-9]{1,9}", text):
        errors.append(RowError(row, name, "a whole number in ASCII digits 0-9"))
        return None
    return int(text)


def _flag(row: int, value: Any, errors: list[RowError]) -> bool:
    if isinstance(value, bool):
        return value
    text = _key(_text(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    errors.append(RowError(row, "multi_year", "ใช่/ไม่ใช่ (yes/no)"))
    return False


def _row(number: int, got: dict[str, Any]) -> tuple[ImportRow | None, list[RowError]]:
    errors: list[RowError] = []
    priority = _integer(number, "priority", got.get("priority"), errors)
    version = _integer(number, "version", got.get("version"), errors)
    multi_year = _flag(number, got.get("multi_year"), errors)
    amounts = {c: a for c in CATEGORY_CODES if (a := _amount(got.get(c))) is not None}
    request_id = _text(got.get("request_id")) or None
    body = {"project_id": _text(got.get("project_id")), "amounts": amounts,
            "justification": _text(got.get("justification")), "priority": priority, "multi_year": multi_year}
    if not body["project_id"]:
        errors.append(RowError(number, "project_id", "required"))
    try:
        parsed = RequestIn.model_validate(body)
    except ValidationError as exc:
        for e in exc.errors():
            errors.append(RowError(number, _field_of(e), _message_of(e)))
        return None, _unique(errors)
    if errors:
        return None, _unique(errors)
    return ImportRow(
        row=number, project_id=parsed.project_id, amounts={c.value: a for c, a in parsed.amounts.items()},
        justification=parsed.justification, priority=parsed.priority, multi_year=parsed.multi_year,
        request_id=request_id, version=version,
    ), []


def _field_of(error: Any) -> str:
    loc = [str(p) for p in error.get("loc", ()) if not isinstance(p, int)]
    if not loc:
        # the strict model's own text check names the field in its message: "body.justification: ..."
        found = re.match(r"(?:Value error, )?body\.([a-z_]+)", error.get("msg", ""))
        return found.group(1) if found else "project_id"
    if loc[0] == "amounts" and len(loc) > 1 and loc[1] in CATEGORY_CODES:
        return f"amounts.{loc[1]}"
    return loc[0]


def _message_of(error: Any) -> str:
    message = str(error.get("msg", "not valid"))
    message = message.removeprefix("Value error, ")
    if error.get("type") == "too_short" and error.get("loc", ("",))[0] == "amounts":
        return "at least one amount (one expense category) is required"
    return message


def _unique(errors: list[RowError]) -> list[RowError]:
    seen, out = set(), []
    for e in errors:
        if (e.row, e.field) not in seen:
            seen.add((e.row, e.field))
            out.append(e)
    return out


def template_headers(lang: Lang) -> list[str]:
    return [c.header(lang) for c in COLUMNS]


__all__ = ["COLUMNS", "MAX_IMPORT_ROWS", "ReadTemplate", "TemplateError", "pick", "read_template", "requests_sheet"]
