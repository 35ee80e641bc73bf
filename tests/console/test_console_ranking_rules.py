"""The screening board's priority ranking without a browser (issue 17): the board, built from the
ledger's answers (a gateway stand-in giving the shapes the status API and the requests list give),
shows each request's priority rank and weighted score beside its amounts, the cumulative amount
against the ceiling, and the cut line (a row of its own where the ceiling runs out, in ranking
order, and a line of the totals), Thai first and in English; a round without a ranking shows none
of it; and every new text has its Thai."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from console.adapters.gateway_client import ApiProblem
from console.api.deps import _TEMPLATES
from console.api.i18n import pick, translations
from console.application import screening_board
from console.domain import formatting

TEMPLATES = Path(__file__).resolve().parents[2] / "services" / "console" / "console" / "templates"
ROUND = {"round_id": "r1", "plan_id": "plan-dgdp", "fiscal_year": 2565, "title": "ปีงบประมาณ 2565", "status": "open",
         "ceiling": "30000000.00", "submission_deadline": "2026-12-10T00:00:00+00:00",
         "decision_deadline": "2026-12-20T00:00:00+00:00", "approved_total": "0.00", "package_submitted_at": None,
         "approved_at": None}
CUT_LINE = {"ceiling": "30000000.00", "above_count": 1, "above_total": "12000000.00", "remaining": "18000000.00",
            "below_count": 3, "total": "48000000.00", "last_rank_above": 1}
RANKED = [  # (project, agency, amount, rank, weighted score, cumulative, above the line)
    ("p-depa", "DEPA", "12000000.00", 1, "95.00", "12000000.00", True),
    ("p-mof", "MOF", "25000000.00", 2, "80.00", "37000000.00", False),
    ("p-opdc", "OPDC", "8000000.00", 3, "75.00", "45000000.00", False),
    ("p-mdes", "MDES", "3000000.00", 4, "55.00", "48000000.00", False),
]


def _status(ranked: bool) -> dict[str, Any]:
    zero = {"count": 0, "requested": "0.00", "recommended": "0.00", "approved": "0.00"}
    return {"round_id": "r1", "status": "open", "ceiling": "30000000.00", "ceiling_remaining": "30000000.00",
            "requested_total": "48000000.00", "recommended_total": "0.00", "approved_total": "0.00",
            "request_count": 4, "screened_count": 0, "unscreened": {**zero, "count": 4, "requested": "48000000.00"},
            "decisions": {}, "ranking": {"status": "draft", "version": 3, "criteria_count": 2, "complete": True,
                                         "approved_at": None, "cut_line": CUT_LINE} if ranked else None}


def _requests(ranked: bool) -> list[dict[str, Any]]:
    return [{"request_id": f"q-{project}", "project_id": project, "agency": agency, "requested_total": amount,
             "decision": None, "recommended_total": "0.00", "approved_total": "0.00", "rank": None,
             "ranking": {"rank": rank, "weighted_score": score, "amount": amount, "cumulative": cumulative,
                         "above_cut_line": above, "complete": True} if ranked else None}
            for project, agency, amount, rank, score, cumulative, above in RANKED]


class Ledger:
    """The gateway as the board reads it: the round, its status, its requests; names refused (a courtesy)."""

    def __init__(self, ranked: bool) -> None:
        self.ranked = ranked
        self.asked: list[tuple[str, dict[str, Any] | None]] = []

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        self.asked.append((path, params))
        if path == "/api/v1/screening/rounds/r1":
            return ROUND
        if path == "/api/v1/screening/rounds/r1/status":
            return _status(self.ranked)
        if path == "/api/v1/screening/rounds/r1/requests":
            return {"items": _requests(self.ranked), "next_cursor": None}
        raise ApiProblem(404, "Not found")

    async def all_items(self, path: str, params: dict[str, Any] | None = None, limit: int = 200) -> list[Any]:
        if path.endswith(("/status/strategies", "/status/agencies")):
            return []
        raise ApiProblem(404, "Not found")


def _page(view: screening_board.BoardView, locale: str) -> str:
    """The board drawn as the console's ``render`` draws it."""
    catalogue = translations(locale)
    return _TEMPLATES.get_template("screening_board.html").render(
        _=catalogue.gettext, locale=locale, other_locale="en" if locale == "th" else "th", here="/screening/rounds/r1",
        query={}, user=SimpleNamespace(name="ประธาน", roles=["body_member"]), csrf="c", problem=None, form={},
        pick=lambda texts: pick(texts, locale), date=lambda v: formatting.format_date(v, locale),
        baht=lambda v: formatting.format_baht(v, locale), million=lambda v: formatting.format_million_baht(v, locale),
        view=view, decisions=("recommend-full",), sorts=screening_board.SORTS, idempotency_key="k",
    )


def _rows(html: str) -> list[str]:
    body = html.split('<table class="requests">', 1)[1].split("</tbody>", 1)[0].split("<tbody>", 1)[1]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>") if "<tr" in row]


async def _board(ranked: bool, sort: str) -> tuple[screening_board.BoardView, Ledger]:
    ledger = Ledger(ranked)
    view = await screening_board.board(screening_board.ShowBoard("r1", "chair", {}, sort), ledger)  # type: ignore[arg-type]
    return view, ledger


@pytest.mark.parametrize("locale", ["th", "en"])
async def test_the_board_shows_each_requests_rank_and_the_cut_line_under_the_ceiling(locale):
    view, ledger = await _board(True, "ranking")
    assert ("/api/v1/screening/rounds/r1/requests", {"sort": "ranking", "limit": screening_board.PAGE_SIZE}) in ledger.asked
    html = _page(view, locale)
    rows = _rows(html)
    line = ("เส้นตัด: วงเงินกรอบ 30,000,000.00 บาท เหนือเส้น 12,000,000.00 บาท (1 จาก 4 คำขอ)" if locale == "th" else
            "Cut line: ceiling THB 30,000,000.00, above the line THB 12,000,000.00 (1 of 4 requests)")
    # the cut line is a row of its own, just below the last request that fits
    assert len(rows) == 5 and line in rows[1], rows
    assert "p-depa" in rows[0] and "1 (95.00)" in rows[0]
    assert "p-mof" in rows[2] and "2 (80.00)" in rows[2]
    if locale == "th":
        assert "12,000,000.00 บาท เหนือเส้นตัด" in rows[0] and "37,000,000.00 บาท ใต้เส้นตัด" in rows[2]
        assert "ลำดับความสำคัญ (คะแนนถ่วงน้ำหนัก)" in html and "ยอดสะสมเทียบวงเงินกรอบ" in html
    else:
        assert "THB 12,000,000.00 above the line" in rows[0] and "THB 37,000,000.00 below the line" in rows[2]
        assert "Priority rank (weighted score)" in html
    assert html.count(line) == 1  # the board's row; the totals' row says it under its own heading:
    totals = html.split('data-total="cut-line">')[1].split("</td>")[0]
    assert totals == line.split(": ", 1)[1], totals
    assert 'data-total="cut-line"' in html and 'class="above-cut-line"' in html and 'class="below-cut-line"' in html
    assert '<option value="ranking" selected>' in html


async def test_every_request_fitting_draws_the_line_below_the_last_and_other_orders_draw_no_line():
    view, _ = await _board(True, "rank")
    rows = _rows(_page(view, "en"))
    assert len(rows) == 4 and not any("Cut line" in r for r in rows)  # another order: ranks shown, no line
    assert "1 (95.00)" in rows[0]
    fits = {**CUT_LINE, "above_count": 4, "above_total": "28000000.00", "below_count": 0}
    view, _ = await _board(True, "ranking")
    view.status["ranking"]["cut_line"] = fits
    rows = _rows(_page(view, "en"))
    assert len(rows) == 5 and "Cut line" in rows[4] and "(4 of 4 requests)" in rows[4]


async def test_a_round_without_a_ranking_shows_the_board_as_before():
    view, _ = await _board(False, "rank")
    html = _page(view, "th")
    assert view.ranking is None and "เส้นตัด" not in html and "data-priority-rank" not in html
    assert '<option value="ranking"' not in html
    assert len(_rows(html)) == 4


def test_every_text_of_the_ranking_on_the_board_has_a_thai_translation():
    thai = translations("th")
    used: set[str] = set()
    for name in ("screening_board.html", "screening_request.html"):
        found = re.findall(r"""_\((?:"([^"]+)"|'([^']+)')\)""", (TEMPLATES / name).read_text())
        used |= {a or b for a, b in found}
    assert {"Priority ranking", "above the line", "Cumulative against the ceiling", "cumulative %(amount)s"} <= used
    assert sorted(m for m in used if thai.gettext(m) == m) == []


@pytest.mark.parametrize(("locale", "expected"), [
    ("th", "2 (80.00) · ยอดสะสม 37,000,000.00 บาท · ใต้เส้นตัด"),
    ("en", "2 (80.00) · cumulative THB 37,000,000.00 · below the line"),
])
def test_a_requests_page_shows_its_priority_rank_and_side_of_the_cut_line(locale, expected):
    request = {**_requests(True)[1], "round_id": "r1", "strategy_id": "plan-dgdp-S1", "amounts": {"investment": "25000000.00"},
               "submitted_at": "2026-12-01T03:00:00+00:00", "justification": "เหตุผล", "decision_meeting": None,
               "recommended_amounts": None, "history": []}
    view = screening_board.RequestView(request, '"e"', ROUND, screening_board.Names(), False)
    catalogue = translations(locale)
    html = _TEMPLATES.get_template("screening_request.html").render(
        _=catalogue.gettext, locale=locale, other_locale="en" if locale == "th" else "th", here="/screening/requests/q",
        query={}, user=SimpleNamespace(name="ประธาน", roles=["body_member"]), csrf="c", problem=None, form={},
        pick=lambda texts: pick(texts, locale), date=lambda v: formatting.format_date(v, locale),
        baht=lambda v: formatting.format_baht(v, locale), million=lambda v: formatting.format_million_baht(v, locale),
        view=view, decisions=("recommend-full",), idempotency_key="k", categories=(),
    )
    shown = re.search(r"<dd data-priority-rank>(.*?)</dd>", html, re.S)
    assert shown and re.sub(r"\s+", " ", shown.group(1)).strip() == expected
