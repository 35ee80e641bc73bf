"""The plan scorecard as an XLSX workbook: one sheet per table (plan, strategies, plan targets,
projects), Thai headers and status labels (English with ``lang=en``), amounts as numbers with
two decimals ('#,##0.00').

Money: Excel holds numbers as doubles, exact to 15 significant digits, so an amount below ten
trillion baht (13 integer digits and satang) is written as a number from its Decimal and reads
back as the same two-place figure; a larger one is written as text rather than rounded.

The CSV of the same route keeps its machine-readable column codes (integrators parse it); the
workbook is for people.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any, Literal

import xlsxwriter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Lang = Literal["th", "en"]
_EXACT_LIMIT = Decimal("10000000000000")

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "on_track": ("เป็นไปตามแผน", "On track"),
    "at_risk": ("มีความเสี่ยง", "At risk"),
    "off_track": ("ไม่เป็นไปตามแผน", "Off track"),
    "completed": ("ดำเนินการแล้วเสร็จ", "Completed"),
    "not_reporting": ("ยังไม่รายงานผล", "Not reporting"),
}
_YES_NO = {"th": ("ใช่", "ไม่ใช่"), "en": ("yes", "no")}

# (key, kind, th, en): kind is text | money | integer | percent
_BUDGET = (
    ("framework", "money", "กรอบวงเงิน (บาท)", "Framework (baht)"),
    ("allocated", "money", "จัดสรร (บาท)", "Allocated (baht)"),
    ("committed", "money", "ก่อหนี้ผูกพัน (บาท)", "Committed (baht)"),
    ("disbursed", "money", "เบิกจ่าย (บาท)", "Disbursed (baht)"),
    ("execution_rate", "percent", "อัตราการเบิกจ่าย (%)", "Execution rate (%)"),
)


def _label(status: str | None, lang: Lang) -> str | None:
    if status is None:
        return None
    pair = STATUS_LABELS.get(status)
    return (pair[0] if lang == "th" else pair[1]) if pair else status


def _title(item: dict[str, Any], lang: Lang) -> str | None:
    title = item.get("title") or {}
    return title.get(lang) or title.get("th") or title.get("en")


def _tables(card: dict[str, Any], lang: Lang) -> list[tuple[str, list[tuple[str, str]], list[list[Any]]]]:
    """(sheet name, [(header, kind)], rows) for each table of the scorecard."""
    t = (lambda th, en: th if lang == "th" else en)
    budget_cols = [(t(th, en), kind) for _, kind, th, en in _BUDGET]

    def budget(item: dict[str, Any]) -> list[Any]:
        block = item.get("budget") or {}
        return [block.get(key) for key, *_ in _BUDGET]

    plan = card["plan"]
    done = card["completeness"]
    plan_cols = [(t("รหัสแผน", "Plan code"), "text"), (t("ชื่อแผน", "Plan"), "text"),
                 (t("ปีงบประมาณ", "Fiscal year"), "integer"), (t("ข้อมูล ณ วันที่", "As of"), "text"),
                 (t("สถานะ", "Status"), "text"), (t("จำนวนโครงการ", "Projects"), "integer"),
                 (t("โครงการที่รายงานผล", "Reporting projects"), "integer"),
                 (t("โครงการตามแผน", "Declared projects"), "integer"), *budget_cols]
    plan_rows = [[plan.get("code"), _title(plan, lang), card["fiscal_year"], card["as_of"], _label(card["status"], lang),
                  card["project_count"], done["reporting_projects"], done["declared_projects"],
                  *budget({"budget": card["budget"]})]]
    strategy_cols = [(t("รหัส", "Code"), "text"), (t("ยุทธศาสตร์", "Strategy"), "text"), (t("สถานะ", "Status"), "text"),
                     (t("จำนวนโครงการ", "Projects"), "integer"),
                     (t("โครงการที่รายงานผล", "Reporting projects"), "integer"),
                     (t("โครงการตามแผน", "Declared projects"), "integer"), *budget_cols]
    strategy_rows = [[s.get("code"), _title(s, lang), _label(s["status"], lang), s["project_count"],
                      s["completeness"]["reporting_projects"], s["completeness"]["declared_projects"], *budget(s)]
                     for s in card["strategies"]]
    no_framework = budget_cols[1:]
    target_cols = [(t("รหัส", "Code"), "text"), (t("เป้าหมายของแผน", "Plan target"), "text"),
                   (t("สถานะ", "Status"), "text"), (t("จำนวนโครงการ", "Projects"), "integer"), *no_framework]
    target_rows = [[x.get("code"), _title(x, lang), _label(x["status"], lang), x["project_count"], *budget(x)[1:]]
                   for x in card["targets"]]
    yes, no = _YES_NO[lang]
    project_cols = [(t("รหัสโครงการ", "Project code"), "text"), (t("โครงการ", "Project"), "text"),
                    (t("หน่วยงานเจ้าของโครงการ", "Lead agency"), "text"), (t("สถานะ", "Status"), "text"),
                    (t("ความคืบหน้า (%)", "Progress (%)"), "percent"), (t("ไตรมาสที่รายงานล่าสุด", "Latest quarter"), "text"),
                    (t("เหตุผล", "Reason"), "text"), (t("อยู่ในฉบับที่อนุมัติ", "In the approved version"), "text"),
                    *no_framework]
    project_rows = [[p.get("code"), _title(p, lang), p.get("lead_agency"), _label(p["status"], lang),
                     p.get("percent_complete"), p.get("latest_quarter"), p.get("reason"),
                     yes if p.get("in_approved_version") else no, *budget(p)[1:]]
                    for p in card["projects"]]
    return [
        (t("แผน", "Plan"), plan_cols, plan_rows),
        (t("ยุทธศาสตร์", "Strategies"), strategy_cols, strategy_rows),
        (t("เป้าหมายของแผน", "Plan targets"), target_cols, target_rows),
        (t("โครงการ", "Projects"), project_cols, project_rows),
    ]


def scorecard_xlsx(card: dict[str, Any], lang: Lang = "th") -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                     "strings_to_urls": False})
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF7", "border": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    for name, columns, rows in _tables(card, lang):
        sheet = book.add_worksheet(name[:31])
        for col, (title, kind) in enumerate(columns):
            sheet.write_string(0, col, title, header)
            sheet.set_column(col, col, 40 if col == 1 else (18 if kind in ("money", "percent") else 14))
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                kind = columns[col][1]
                if value is None or value == "":
                    sheet.write_blank(r, col, None)
                elif kind in ("money", "percent"):
                    amount = Decimal(str(value))
                    if abs(amount) < _EXACT_LIMIT:
                        sheet.write_number(r, col, float(amount), money)
                    else:
                        sheet.write_string(r, col, format(amount, "f"))
                elif kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, str(value))
        sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
