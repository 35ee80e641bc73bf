"""XLSX and CSV files as grids of cells: writing tables out, reading a template back in.

Nothing here knows what a budget request is; the api layer decides the columns and what a cell
means. Writing uses xlsxwriter (in memory), reading openpyxl (read-only, values only).

Money: Excel keeps numbers as binary doubles, which hold any amount of up to 15 significant
digits exactly (what Excel itself shows and stores). Amounts below ``EXACT_NUMBER_LIMIT`` (ten
trillion baht, 13 integer digits + satang) are written as numbers with the format '#,##0.00';
a larger one is written as text, so that no satang is ever rounded away. Read back, a number is
taken at those 15 significant digits (``Decimal(f"{value:.15g}")``), so a cell typed or computed
as 1234.5 is 1234.50 exactly, and 0.1+0.2 computed in a cell is 0.3 again.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from openpyxl import load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
MONEY_FORMAT = "#,##0.00"
EXACT_NUMBER_LIMIT = Decimal("10000000000000")
# A zip expands: a 1 MiB upload may hold gigabytes of XML (a "zip bomb"). Refused before parsing.
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
MAX_SHEET_COLUMNS = 64


class SpreadsheetError(ValueError):
    """The file cannot be read as a spreadsheet at all (not a row's error)."""


@dataclass(frozen=True)
class Sheet:
    name: str  # at most 31 characters (Excel's limit)
    headers: Sequence[str]
    kinds: Sequence[str]  # per column: "text", "money", "integer"
    rows: Sequence[Sequence[Any]]
    widths: Sequence[int] = ()


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    out = io.BytesIO()
    # in_memory: no temporary files; strings_to_numbers off: an id like "0012" stays text.
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                     "strings_to_urls": False})
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF7", "border": 1})
    money = book.add_format({"num_format": MONEY_FORMAT})
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name[:31])
        for col, title in enumerate(sheet.headers):
            ws.write_string(0, col, title, header)
            width = sheet.widths[col] if col < len(sheet.widths) else (16 if sheet.kinds[col] == "money" else 14)
            ws.set_column(col, col, width, money if sheet.kinds[col] == "money" else None)
        for r, row in enumerate(sheet.rows, start=1):
            for col, value in enumerate(row):
                _write_cell(ws, r, col, value, sheet.kinds[col], money)
        ws.freeze_panes(1, 0)
        if sheet.rows:
            ws.autofilter(0, 0, len(sheet.rows), len(sheet.headers) - 1)
    book.close()
    return out.getvalue()


def _write_cell(ws: Any, row: int, col: int, value: Any, kind: str, money: Any) -> None:
    if value is None or value == "":
        ws.write_blank(row, col, None)
    elif kind == "money":
        amount = Decimal(value)
        if abs(amount) < EXACT_NUMBER_LIMIT:
            # float() of a two-place Decimal below the limit is the double nearest to it, which
            # Excel shows, and a reader gets back, as exactly those digits.
            ws.write_number(row, col, float(amount), money)
        else:
            ws.write_string(row, col, format(amount, "f"))
    elif kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        ws.write_number(row, col, value)
    else:
        ws.write_string(row, col, str(value))


def write_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel opens Thai text as mojibake."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow(["" if v is None else (format(Decimal(v), "f") if k == "money" else v)
                         for v, k in zip(row, sheet.kinds, strict=True)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- reading ------------------------------------------------------------------------------------


def read_csv(data: bytes, max_rows: int) -> list[list[Any]]:
    """Rows of text cells (the header row first); ``max_rows`` counts the rows after the header."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(f"the CSV is not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        raise SpreadsheetError("the CSV holds a NUL character")
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append(row)
            if len(rows) > max_rows + 1:
                raise _TooMany()
    except csv.Error as exc:
        raise SpreadsheetError(f"not a readable CSV: {exc}") from None
    return rows


class _TooMany(Exception):
    pass


class TooManyRows(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def read_rows(data: bytes, media_type: str, max_rows: int) -> list[list[Any]]:
    """The first sheet's rows (XLSX) or the rows of a CSV; TooManyRows past ``max_rows`` data rows."""
    try:
        return read_xlsx(data, max_rows) if media_type == XLSX else read_csv(data, max_rows)
    except _TooMany:
        raise TooManyRows(max_rows) from None


def read_xlsx(data: bytes, max_rows: int) -> list[list[Any]]:
    """Cell values of the first worksheet: str, Decimal-able numbers, dates; formulas as their
    cached value (a file saved by Excel or LibreOffice has them)."""
    buffer = io.BytesIO(data)
    try:
        with zipfile.ZipFile(buffer) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise SpreadsheetError(f"the workbook unpacks to more than {MAX_UNPACKED_BYTES} bytes")
    except zipfile.BadZipFile:
        raise SpreadsheetError("not an XLSX workbook (not a zip archive)") from None
    try:
        book = load_workbook(buffer, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, InvalidFileException, XML errors)
        raise SpreadsheetError(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise SpreadsheetError("the workbook has no worksheet")
        rows: list[list[Any]] = []
        filled = 0
        for seen, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_SHEET_COLUMNS)):
            row = [_cell(v) for v in values]
            while row and row[-1] in (None, ""):
                row.pop()
            rows.append(row)
            filled += bool(row)
            # Blank rows (formatting only) do not count, but a sheet of a million of them is refused too.
            if filled > max_rows + 1 or seen > 10 * max_rows + 100:
                raise _TooMany()
        while rows and not rows[-1]:
            rows.pop()
        return rows
    finally:
        book.close()


def _cell(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(f"{value:.15g}")
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)
