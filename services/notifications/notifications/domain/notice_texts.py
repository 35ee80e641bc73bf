"""The words of e-mail notices, in Thai (the default) and English: one subject line per kind and
one line per notice of a digest, with the link a person follows to act. Pure text, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from notifications.domain.notices import (
    DEADLINE_NEAR,
    DECISION_WAITING,
    REPORT_CHANGED,
    REQUEST_CHANGED,
    STAGE_OVERDUE,
)

BANGKOK = timezone(timedelta(hours=7))

TITLES = {
    "th": {
        DECISION_WAITING: "มีเรื่องรอการพิจารณาของท่าน",
        DEADLINE_NEAR: "ใกล้ครบกำหนดพิจารณา",
        STAGE_OVERDUE: "เลยกำหนดพิจารณาแล้ว",
        REQUEST_CHANGED: "คำขอรับงบประมาณมีความคืบหน้า",
        REPORT_CHANGED: "รายงานความก้าวหน้ามีความคืบหน้า",
    },
    "en": {
        DECISION_WAITING: "A decision waits for you",
        DEADLINE_NEAR: "A decision's deadline is near",
        STAGE_OVERDUE: "A decision is overdue",
        REQUEST_CHANGED: "Your budget request moved on",
        REPORT_CHANGED: "Your progress report moved on",
    },
}

WORKFLOWS = {
    "th": {"plan-approval": "การอนุมัติแผน", "budget-screening": "การกลั่นกรองงบประมาณ"},
    "en": {"plan-approval": "plan approval", "budget-screening": "budget screening"},
}

WORDS = {
    "th": {
        "greeting": "เรียน ท่านผู้เกี่ยวข้อง",
        "waiting": "{workflow} ขั้น {stage} รอการพิจารณาของ {body}{deadline}",
        "near": "{workflow} ขั้น {stage} ของ {body} จะครบกำหนด{deadline}",
        "overdue": "{workflow} ขั้น {stage} ของ {body} เลยกำหนดแล้ว{deadline}",
        "request": "คำขอ {request_id} ({round_id}): {what}",
        "report": "รายงาน {report_id} ไตรมาส {quarter}/{fiscal_year}: {what}",
        "deadline": " (กำหนด {when})",
        "open": "เปิดดู: {link}",
        "unsubscribe": "ไม่ต้องการรับอีเมลประเภทนี้อีก: {link}",
        "footer": "อีเมลนี้ส่งโดยอัตโนมัติจากระบบ dgplan",
        "submitted": "ยื่นแล้ว", "revised": "แก้ไขแล้ว", "decided": "ผลการกลั่นกรอง: {decision}",
        "report-submitted": "ส่งแล้ว",
    },
    "en": {
        "greeting": "Hello,",
        "waiting": "{workflow}: stage {stage} waits for {body}{deadline}",
        "near": "{workflow}: stage {stage} of {body} is due{deadline}",
        "overdue": "{workflow}: stage {stage} of {body} is overdue{deadline}",
        "request": "Request {request_id} ({round_id}): {what}",
        "report": "Report {report_id}, Q{quarter} FY {fiscal_year}: {what}",
        "deadline": " (deadline {when})",
        "open": "Open: {link}",
        "unsubscribe": "Stop e-mails of this kind: {link}",
        "footer": "Sent automatically by dgplan.",
        "submitted": "submitted", "revised": "revised", "decided": "screened: {decision}",
        "report-submitted": "submitted",
    },
}


@dataclass(frozen=True)
class Rendered:
    title: str
    text: str


def _when(value: str | None, language: str) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(BANGKOK)
    if language == "th":
        return f"{moment:%d/%m}/{moment.year + 543} {moment:%H:%M} น."
    return f"{moment:%Y-%m-%d %H:%M} (UTC+7)"


def line(language: str, kind: str, facts: dict[str, Any]) -> str:
    w = WORDS[language]
    if kind in (DECISION_WAITING, DEADLINE_NEAR, STAGE_OVERDUE):
        key = {DECISION_WAITING: "waiting", DEADLINE_NEAR: "near", STAGE_OVERDUE: "overdue"}[kind]
        deadline = w["deadline"].format(when=_when(facts.get("deadline"), language)) if facts.get("deadline") else ""
        workflow = WORKFLOWS[language].get(str(facts.get("workflow")), str(facts.get("workflow")))
        return w[key].format(workflow=workflow, stage=facts.get("stage"), body=facts.get("body"), deadline=deadline)
    if kind == REQUEST_CHANGED:
        what = w["decided"].format(decision=facts.get("decision")) if facts.get("change") == "decided" \
            else w.get(str(facts.get("change")), str(facts.get("change")))
        return w["request"].format(request_id=facts.get("request_id"), round_id=facts.get("round_id"), what=what)
    what = w.get(str(facts.get("change")), str(facts.get("change")))
    return w["report"].format(report_id=facts.get("report_id"), quarter=facts.get("quarter"),
                              fiscal_year=facts.get("fiscal_year"), what=what)


def render(language: str, kind: str, items: list[tuple[dict[str, Any], str]], unsubscribe_link: str) -> Rendered:
    """``items``: each notice's facts and the console link to act on it (a digest has several)."""
    w = WORDS[language]
    title = TITLES[language][kind]
    if len(items) > 1:
        title = f"{title} ({len(items)})"
    lines = [w["greeting"], ""]
    for facts, link in items:
        lines.append(f"- {line(language, kind, facts)}")
        lines.append(f"  {w['open'].format(link=link)}")
    lines += ["", w["unsubscribe"].format(link=unsubscribe_link), "", w["footer"]]
    return Rendered(title, "\n".join(lines) + "\n")
