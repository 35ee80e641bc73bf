"""Rows and results of the use cases as the wire shows them (money as two-place strings)."""

from __future__ import annotations

from typing import Any

from budget_ledger.application.ranking import cut_line_json, rank_json
from budget_ledger.domain.postings import PostedEntry
from dgplan_contracts.fiscal import fiscal_year_range_json
from dgplan_contracts.money import money_str


def _at(value: Any) -> str | None:
    return value.isoformat() if value else None


def posted_entry_json(entry: PostedEntry) -> dict[str, Any]:
    p = entry.posting
    return {
        "entry_id": entry.entry_id,
        **p.key.as_dict(),
        "stage": p.stage,
        "amount": money_str(p.amount),
        "agency": p.agency,
        "round_id": p.round_id,
        "request_id": p.request_id,
        "reference": p.reference,
        "note": p.note,
        "posted_by": entry.posted_by,
        "posted_at": entry.posted_at.isoformat(),
    }


def entry_json(row: Any) -> dict[str, Any]:
    return {
        "entry_id": row["entry_id"],
        "seq": row["seq"],
        "plan_id": row["plan_id"],
        "strategy_id": row["strategy_id"] or None,
        "project_id": row["project_id"] or None,
        "fiscal_year": row["fiscal_year"] or None,
        "expense_category": row["expense_category"] or None,
        "stage": row["stage"],
        "amount": money_str(row["amount"]),
        "agency": row["agency"],
        "round_id": row["round_id"],
        "request_id": row["request_id"],
        "reference": row["reference"],
        "note": row["note"],
        "posted_by": row["posted_by"],
        "posted_at": row["posted_at"].isoformat(),
    }


def round_json(row: Any) -> dict[str, Any]:
    return {
        "round_id": row["round_id"],
        "plan_id": row["plan_id"],
        "fiscal_year": row["fiscal_year"],
        "fiscal_year_range": fiscal_year_range_json(row["fiscal_year"]),
        "title": row["title"],
        "ceiling": money_str(row["ceiling"]),
        "submission_deadline": row["submission_deadline"].isoformat(),
        "decision_deadline": row["decision_deadline"].isoformat(),
        "status": row["status"],
        "approved_total": money_str(row["approved_total"]),
        "published": bool(row["published"]),
        "opened_by": row["opened_by"],
        "opened_at": row["opened_at"].isoformat(),
        "package_submitted_at": _at(row["package_submitted_at"]),
        "approved_at": _at(row["approved_at"]),
        "closed_at": _at(row["closed_at"]),
        "version": row["version"],
    }


# What the public may know of a published round: where its results are, not who worked on it.
_PUBLIC_ROUND_FIELDS = ("round_id", "plan_id", "fiscal_year", "fiscal_year_range", "title", "status", "published",
                        "ceiling", "approved_total", "approved_at", "closed_at")


def published_round_json(row: Any) -> dict[str, Any]:
    """A published round for anyone: the fields of ``round_json`` that name no person (derived from it,
    so a field's format is defined once)."""
    full = round_json(row)
    return {name: full[name] for name in _PUBLIC_ROUND_FIELDS}


def _amounts(amounts: dict[str, Any] | None) -> dict[str, str] | None:
    return None if amounts is None else {k: money_str(v) for k, v in amounts.items()}


def request_json(row: Any) -> dict[str, Any]:
    return {
        "request_id": row["request_id"],
        "round_id": row["round_id"],
        "project_id": row["project_id"],
        "plan_id": row["plan_id"],
        "strategy_id": row["strategy_id"],
        "agency": row["agency"],
        "fiscal_year": row["fiscal_year"],
        "amounts": _amounts(row["amounts"]),
        "requested_total": money_str(row["requested_total"]),
        "decision": row["decision"],
        "recommended_amounts": _amounts(row["recommended_amounts"]) if row["recommended_amounts"] else None,
        "recommended_total": money_str(row["recommended_total"]),
        "approved_total": money_str(row["approved_total"]),
        "rank": row["rank"],
        "priority": row["priority"],
        "multi_year": bool(row["multi_year"]),
        "justification": row["justification"],
        "alignment": row["alignment"],
        "submitted_by": row["submitted_by"],
        "submitted_at": row["submitted_at"].isoformat(),
        "decided_at": _at(row["decided_at"]),
        "decision_meeting": row.get("decision_meeting"),
        # the request's place in the round's priority ranking, with the cut line: null without a
        # ranking (and for an agency caller)
        "ranking": row.get("ranking"),
        "version": row["version"],
    }


def history_json(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "action": r["action"],
            "decision": r["decision"],
            "amount": money_str(r["amount"]) if r["amount"] is not None else None,
            "rank": r["rank"],
            "reason": r["reason"],
            "meeting": r["meeting"],
            "actor": r["actor"],
            "at": r["at"].isoformat(),
        }
        for r in rows
    ]


def ranking_json(view: Any) -> dict[str, Any]:
    """A round's priority ranking (``application.ranking.RankingView``): criteria, the cut line under
    the ceiling, and a page of the requests in rank order with their scores and reasons."""
    row = view.row
    items = []
    for item in view.page:
        q = view.requests.get(item.request_id, {})
        scores = view.scores.get(item.request_id, {})
        items.append({
            "request_id": item.request_id,
            "project_id": q.get("project_id"),
            "agency": q.get("agency"),
            "strategy_id": q.get("strategy_id"),
            "priority": q.get("priority"),
            "decision": q.get("decision"),
            "requested_total": money_str(q.get("requested_total")),
            "recommended_total": money_str(q.get("recommended_total")),
            **rank_json(item),
            "scores": [
                {"criterion": c.code, "score": format(scores[c.code]["score"], "f"), "reason": scores[c.code]["reason"],
                 "scored_by": scores[c.code]["scored_by"], "scored_at": scores[c.code]["scored_at"].isoformat()}
                for c in view.criteria if c.code in scores
            ],
        })
    return {
        "round_id": view.round["round_id"],
        "status": view.status or "none",
        "version": row["version"] if row else 0,
        "scale": {"min": "0", "max": "100"},
        "criteria": [
            {"code": c.code, "name": {"th": c.name_th, "en": c.name_en}, "weight": format(c.weight, "f"), "target": c.target}
            for c in view.criteria
        ],
        "complete": view.ranking.complete if view.criteria else False,
        "cut_line": cut_line_json(view.ranking),
        "approved_by": row["approved_by"] if row else None,
        "approved_at": _at(row["approved_at"]) if row else None,
        "updated_at": _at(row["updated_at"]) if row else None,
        "items": items,
        "next_cursor": view.next_cursor,
    }
