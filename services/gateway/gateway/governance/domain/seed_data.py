"""Reference data the engine starts with: the bodies of docs/contracts.md (Thai names verbatim
from the source), demo members for ``make run``, and version 1 of both workflows."""

from __future__ import annotations

from typing import Any

COMMITTEE = "digital-government-committee"
SUBCOMMITTEE = "operations-budget-subcommittee"
NESDC = "nesdc"
CABINET = "cabinet"
SECRETARIAT = "dga-secretariat"

_VOTING = {"quorum": {"fraction": "1/2"}, "majority": "cast", "casting_vote": True}
_AS_ONE = {"quorum": {"count": 1}, "majority": "cast", "casting_vote": False}

BODIES: list[dict[str, Any]] = [
    {
        "code": COMMITTEE,
        "name": {"th": "คณะกรรมการพัฒนารัฐบาลดิจิทัล", "en": "Digital Government Development Committee"},
        "kind": "committee",
        "parent_code": None,
        "rule": _VOTING,
    },
    {
        "code": SUBCOMMITTEE,
        "name": {
            "th": "คณะอนุกรรมการด้านการดำเนินงานและการพิจารณากลั่นกรองงบประมาณ",
            "en": "Operations and Budget-Screening Subcommittee",
        },
        "kind": "subcommittee",
        "parent_code": COMMITTEE,
        "rule": _VOTING,
    },
    {
        "code": NESDC,
        "name": {"th": "สภาพัฒนาการเศรษฐกิจและสังคมแห่งชาติ", "en": "National Economic and Social Development Council"},
        "kind": "council",
        "parent_code": None,
        "rule": _AS_ONE,
    },
    {
        "code": CABINET,
        "name": {"th": "คณะรัฐมนตรี", "en": "Cabinet"},
        "kind": "cabinet",
        "parent_code": None,
        "rule": _AS_ONE,
    },
    {
        "code": SECRETARIAT,
        "name": {
            "th": "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน) (สพร.)",
            "en": "Digital Government Development Agency (Public Organization) (DGA), the committee's secretariat",
        },
        "kind": "secretariat",
        # An overdue revision is the committee's concern: its secretariat is late.
        "parent_code": COMMITTEE,
        "rule": _AS_ONE,
    },
]

DEMO_MEMBERS: list[tuple[str, str, str]] = [
    (COMMITTEE, "demo-dgc-chair", "chair"),
    (COMMITTEE, "demo-dgc-member-1", "member"),
    (COMMITTEE, "demo-dgc-member-2", "member"),
    (SUBCOMMITTEE, "demo-obs-chair", "chair"),
    (SUBCOMMITTEE, "demo-obs-member-1", "member"),
    (SUBCOMMITTEE, "demo-obs-member-2", "member"),
    (NESDC, "demo-nesdc", "member"),
    (CABINET, "demo-cabinet", "member"),
    (SECRETARIAT, "demo-secretariat", "secretary"),
]
# The demo members' names on the bodies' rosters: the same people make run's demo sign-ins are
# (edge people_demo.DEMO_PEOPLE; a test keeps the two lists agreeing).
DEMO_MEMBER_NAMES: dict[str, str] = {
    "demo-dgc-chair": "ประเสริฐ นำทาง",
    "demo-dgc-member-1": "สมชาย ใจดี",
    "demo-dgc-member-2": "สมหญิง ตั้งใจ",
    "demo-obs-chair": "วิไล ตรวจงบ",
    "demo-obs-member-1": "วีระ คำนวณ",
    "demo-obs-member-2": "อรุณี งบดี",
    "demo-nesdc": "กมล วางแผน",
    "demo-cabinet": "ชูชาติ มติดี",
    "demo-secretariat": "สุดา รักษ์แผน",
}

PLAN_APPROVAL_V1: dict[str, Any] = {
    "key": "plan-approval",
    "title": {"th": "การพิจารณาให้ความเห็นชอบแผน", "en": "Plan approval"},
    "subject": "plan",
    "start": "committee",
    "stages": [
        {
            "name": "committee",
            "body": COMMITTEE,
            "mode": "vote",
            "due_days": 30,
            "decisions": [
                {"name": "propose", "to": "nesdc", "emit": ["plan-approval.stage-decided"]},
                {
                    "name": "return",
                    "to": "revision",
                    "resume": "committee",
                    "emit": ["plan-approval.stage-decided", "plan-approval.returned"],
                },
                {"name": "reject", "to": "rejected", "emit": ["plan-approval.stage-decided", "plan-approval.rejected"]},
            ],
        },
        {
            "name": "nesdc",
            "body": NESDC,
            "mode": "single",
            "due_days": 60,
            "decisions": [
                {"name": "endorse", "to": "cabinet", "observations": "none", "emit": ["plan-approval.stage-decided"]},
                {
                    "name": "endorse_with_observations",
                    "to": "revision",
                    "resume": "cabinet",
                    "observations": "required",
                    "emit": ["plan-approval.stage-decided"],
                },
                {
                    "name": "return",
                    "to": "revision",
                    "resume": "nesdc",
                    "emit": ["plan-approval.stage-decided", "plan-approval.returned"],
                },
            ],
        },
        {"name": "revision", "body": SECRETARIAT, "mode": "revision", "due_days": 30},
        {
            "name": "cabinet",
            "body": CABINET,
            "mode": "single",
            "due_days": 60,
            "decisions": [
                {
                    "name": "approve_in_principle",
                    "to": "approved",
                    "emit": ["plan-approval.stage-decided", "plan-approval.approved"],
                },
                {
                    "name": "return",
                    "to": "revision",
                    "resume": "committee",
                    "emit": ["plan-approval.stage-decided", "plan-approval.returned"],
                },
                {"name": "reject", "to": "rejected", "emit": ["plan-approval.stage-decided", "plan-approval.rejected"]},
            ],
        },
    ],
    "outcomes": ["approved", "rejected"],
}

BUDGET_SCREENING_V1: dict[str, Any] = {
    "key": "budget-screening",
    "title": {"th": "การพิจารณากลั่นกรองงบประมาณประจำปี", "en": "Annual budget screening"},
    "subject": "round",
    "start": "submission",
    "stages": [
        {
            # Agencies submit requests on the ledger until the round's submission deadline.
            "name": "submission",
            "body": SECRETARIAT,
            "mode": "external",
            "due_from": "submission_deadline",
            "at_deadline": "screening",
            "advance_on": {"package-submitted": "committee-approval"},
        },
        {
            # The subcommittee screens on the ledger and hands the package over by event.
            "name": "screening",
            "body": SUBCOMMITTEE,
            "mode": "external",
            "due_from": "decision_deadline",
            "advance_on": {"package-submitted": "committee-approval"},
        },
        {
            "name": "committee-approval",
            "body": COMMITTEE,
            "mode": "vote",
            "due_days": 14,
            "decisions": [
                {"name": "approve", "to": "posting", "emit": ["budget-screening.package-approved"]},
                {"name": "return", "to": "screening", "emit": ["budget-screening.package-returned"]},
            ],
        },
        {
            "name": "posting",
            "body": SECRETARIAT,
            "mode": "external",
            "due_days": 7,
            "advance_on": {"round-approved": "posted", "round-closed": "closed"},
        },
        {"name": "posted", "body": SECRETARIAT, "mode": "external", "advance_on": {"round-closed": "closed"}},
    ],
    "outcomes": ["closed"],
}

DEFINITIONS_V1 = [PLAN_APPROVAL_V1, BUDGET_SCREENING_V1]
