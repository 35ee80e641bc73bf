"""Screening status and ledger balances as spreadsheet tables (one sheet per table)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from budget_ledger.adapters.spreadsheets import Sheet
from budget_ledger.api.exchange_labels import CATEGORIES, DECISIONS, ROUND_STATUSES, STAGES, Lang, titled, word
from budget_ledger.application.exchange_queries import BalanceTable, StatusTables
from budget_ledger.domain.screening import DECISIONS as DECISION_CODES
from budget_ledger.domain.screening import UNSCREENED


def _h(lang: Lang, th: str, en: str) -> str:
    return th if lang == "th" else en


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _deadline(value: dict[str, Any]) -> str:
    return value["at"]


def round_sheet(status: dict[str, Any], lang: Lang) -> Sheet:
    headers = [
        _h(lang, "รหัสรอบ", "Round ID"), _h(lang, "ปีงบประมาณ", "Fiscal year"), _h(lang, "สถานะ", "Status"),
        _h(lang, "เพดานวงเงิน (บาท)", "Ceiling (baht)"),
        _h(lang, "วงเงินคงเหลือภายใต้เพดาน (บาท)", "Ceiling remaining (baht)"),
        _h(lang, "กำหนดส่งคำขอ", "Submission deadline"), _h(lang, "กำหนดพิจารณา", "Decision deadline"),
        _h(lang, "ข้อมูล ณ", "As of"),
    ]
    row = [status["round_id"], status["fiscal_year"], word(ROUND_STATUSES, status["status"], lang),
           _money(status["ceiling"]), _money(status["ceiling_remaining"]),
           _deadline(status["deadlines"]["submission"]), _deadline(status["deadlines"]["decision"]), status["as_of"]]
    kinds = ["text", "integer", "text", "money", "money", "text", "text", "text"]
    return Sheet(_h(lang, "รอบการพิจารณา", "Round"), headers, kinds, [row], [38, 12, 20, 20, 20, 28, 28, 28])


_FIGURES = ("count", "requested", "recommended", "approved")


def _figure_headers(lang: Lang) -> list[str]:
    return [_h(lang, "จำนวนคำขอ", "Requests"), _h(lang, "วงเงินที่ขอ (บาท)", "Requested (baht)"),
            _h(lang, "วงเงินที่เห็นควรสนับสนุน (บาท)", "Recommended (baht)"),
            _h(lang, "วงเงินที่อนุมัติ (บาท)", "Approved (baht)")]


def _figures(bucket: dict[str, Any]) -> list[Any]:
    return [bucket["count"], _money(bucket["requested"]), _money(bucket["recommended"]), _money(bucket["approved"])]


def summary_sheet(status: dict[str, Any], lang: Lang) -> Sheet:
    rows = [[word(DECISIONS, d, lang), *_figures(status["decisions"][d])] for d in DECISION_CODES]
    rows.append([word(DECISIONS, UNSCREENED, lang), *_figures(status["unscreened"])])
    rows.append([_h(lang, "รวม", "Total"), status["request_count"], _money(status["requested_total"]),
                 _money(status["recommended_total"]), _money(status["approved_total"])])
    return Sheet(_h(lang, "สรุปผลการพิจารณา", "Summary"), [_h(lang, "ผลการพิจารณา", "Decision"), *_figure_headers(lang)],
                 ["text", "integer", "money", "money", "money"], rows, [34, 12, 20, 20, 20])


def _grouped(items: list[dict[str, Any]], lang: Lang, label_header: str, label: Any) -> tuple[list[str], list[str], list[list[Any]]]:
    headers = [label_header, _h(lang, "จำนวนคำขอ", "Requests"), _h(lang, "พิจารณาแล้ว", "Screened"),
               *(f"{word(DECISIONS, d, lang)}" for d in (*DECISION_CODES, UNSCREENED)),
               _h(lang, "วงเงินที่ขอ (บาท)", "Requested (baht)"),
               _h(lang, "วงเงินที่เห็นควรสนับสนุน (บาท)", "Recommended (baht)"),
               _h(lang, "วงเงินที่อนุมัติ (บาท)", "Approved (baht)")]
    kinds = ["text", "integer", "integer", *("integer" for _ in (*DECISION_CODES, UNSCREENED)), "money", "money", "money"]
    rows = [[label(item), item["request_count"], item["screened_count"],
             *(item["decisions"][d]["count"] for d in DECISION_CODES), item["unscreened"]["count"],
             _money(item["requested_total"]), _money(item["recommended_total"]), _money(item["approved_total"])]
            for item in items]
    return headers, kinds, rows


def status_sheets(tables: StatusTables, lang: Lang) -> list[Sheet]:
    strategy = lambda i: titled(tables.names.strategies.get(i["strategy_id"]), lang, i["strategy_id"])  # noqa: E731
    by_strategy = _grouped(tables.by_strategy, lang, _h(lang, "ยุทธศาสตร์", "Strategy"), strategy)
    by_agency = _grouped(tables.by_agency, lang, _h(lang, "หน่วยงาน", "Agency"), lambda i: i["agency"])
    widths = [40, 12, 12, *(14 for _ in range(6)), 20, 20, 20]
    return [
        round_sheet(tables.summary, lang),
        summary_sheet(tables.summary, lang),
        Sheet(_h(lang, "รายยุทธศาสตร์", "By strategy"), *by_strategy, widths),
        Sheet(_h(lang, "รายหน่วยงาน", "By agency"), *by_agency, widths),
    ]


STATUS_TABLES = ("round", "summary", "strategies", "agencies")


# --- balances ----------------------------------------------------------------------------------

_LEVELS = {
    "plan": ("แผน", "Plan"), "strategy": ("ยุทธศาสตร์", "Strategy"), "project": ("โครงการ", "Project"),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"), "expense_category": ("หมวดงบ", "Expense category"),
    "agency": ("หน่วยงาน", "Agency"),
}
_AVAILABLE = {
    "to_allocate": ("คงเหลือรอจัดสรร (บาท)", "Left to allocate (baht)"),
    "to_commit": ("คงเหลือรอก่อหนี้ผูกพัน (บาท)", "Left to commit (baht)"),
    "to_disburse": ("คงเหลือรอเบิกจ่าย (บาท)", "Left to disburse (baht)"),
}


def balances_sheet(table: BalanceTable, lang: Lang) -> Sheet:
    def level_value(level: str, value: Any) -> Any:
        if level == "strategy":
            return titled(table.names.strategies.get(value), lang, value)
        if level == "project":
            return titled(table.names.projects.get(value), lang, value)
        if level == "expense_category":
            return word(CATEGORIES, value, lang)
        return value

    stages = list(table.items[0]["balances"]) if table.items else list(STAGES)
    headers = [_h(lang, *_LEVELS[g]) for g in table.group_by]
    headers += [f"{_h(lang, *STAGES[s])} ({_h(lang, 'บาท', 'baht')})" for s in stages]
    headers += [_h(lang, *_AVAILABLE[a]) for a in _AVAILABLE]
    headers.append(_h(lang, "จำนวนรายการงบประมาณ", "Appropriations"))
    kinds = ["integer" if g == "fiscal_year" else "text" for g in table.group_by]
    kinds += ["money"] * (len(stages) + len(_AVAILABLE)) + ["integer"]
    rows = []
    for item in table.items:
        rows.append([
            *(level_value(g, item.get(g) or None) for g in table.group_by),
            *(_money(item["balances"][s]) for s in stages),
            *(_money(item["available"][a]) for a in _AVAILABLE),
            int(item["appropriations"] or 0),
        ])
    widths = [40 if g in ("strategy", "project") else 14 for g in table.group_by] + [18] * (len(stages) + 3) + [12]
    return Sheet(_h(lang, "ยอดงบประมาณ", "Balances"), headers, kinds, rows, widths)
