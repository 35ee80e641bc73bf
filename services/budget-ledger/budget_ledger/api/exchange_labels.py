"""Words a person reads in a downloaded spreadsheet: Thai first, English with ``lang=en``.

Codes (``recommend-reduced``, ``operating``) are the API's; a subcommittee's spreadsheet shows
what they mean. Names of strategies and projects are the registry's, as the ledger holds them.
"""

from __future__ import annotations

from typing import Any, Literal

Lang = Literal["th", "en"]

DECISIONS: dict[str, tuple[str, str]] = {
    "recommend-full": ("เห็นควรสนับสนุนเต็มจำนวน", "Recommended in full"),
    "recommend-reduced": ("เห็นควรสนับสนุนโดยปรับลดวงเงิน", "Recommended at a reduced amount"),
    "defer": ("ชะลอการพิจารณา", "Deferred"),
    "reject": ("ไม่เห็นควรสนับสนุน", "Rejected"),
    "return": ("ส่งคืนเพื่อปรับปรุง", "Returned for revision"),
    "unscreened": ("ยังไม่ได้พิจารณา", "Not yet screened"),
}

CATEGORIES: dict[str, tuple[str, str]] = {
    "personnel": ("งบบุคลากร", "Personnel"),
    "operating": ("งบดำเนินงาน", "Operating"),
    "investment": ("งบลงทุน", "Investment"),
    "subsidy": ("งบเงินอุดหนุน", "Subsidy"),
    "other": ("งบรายจ่ายอื่น", "Other expenditure"),
}

ROUND_STATUSES: dict[str, tuple[str, str]] = {
    "open": ("เปิดรับคำขอ", "Open"),
    "package-submitted": ("เสนอคณะกรรมการแล้ว", "With the committee"),
    "approved": ("อนุมัติแล้ว", "Approved"),
    "closed": ("ปิดรอบแล้ว", "Closed"),
}

STAGES: dict[str, tuple[str, str]] = {
    "requested": ("วงเงินที่ขอ", "Requested"),
    "recommended": ("เห็นควรสนับสนุน", "Recommended"),
    "approved": ("อนุมัติ", "Approved"),
    "allocated": ("จัดสรร", "Allocated"),
    "committed": ("ก่อหนี้ผูกพัน", "Committed"),
    "disbursed": ("เบิกจ่าย", "Disbursed"),
    "deferred": ("ชะลอ", "Deferred"),
    "rejected": ("ไม่สนับสนุน", "Rejected"),
    "returned": ("ส่งคืน", "Returned"),
}

YES_NO = {"th": ("ใช่", "ไม่ใช่"), "en": ("yes", "no")}


def pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "th" else pair[1]


def word(table: dict[str, tuple[str, str]], code: str | None, lang: Lang) -> str | None:
    if code is None:
        return None
    pair = table.get(code)
    return pick(pair, lang) if pair else code


def titled(row: Any, lang: Lang, fallback: str | None = None) -> str | None:
    """``CODE title`` of a strategy or project read-model row, in ``lang`` (else the other language)."""
    if row is None:
        return fallback
    title = (row["title_th"] if lang == "th" else row["title_en"]) or row["title_th"] or row["title_en"]
    code = row["code"]
    return " ".join(p for p in (code, title) if p) or fallback
