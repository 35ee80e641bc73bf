"""The pure rules of e-mail notices: the digest window, the SMTP back-off, address checks, and the
Thai and English texts (Buddhist-era dates in Thai, the console link on every line)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dgplan_shared.errors import ProblemError
from notifications.domain.notice_texts import render
from notifications.domain.notices import (
    DECISION_WAITING,
    MAX_ATTEMPTS,
    REQUEST_CHANGED,
    checked_address,
    earliest_send,
    judge_send,
)

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)


def test_the_first_mail_goes_at_once_and_the_next_waits_for_the_window():
    assert earliest_send(T0, None, HOUR) == T0
    assert earliest_send(T0, T0 - timedelta(minutes=20), HOUR) == T0 + timedelta(minutes=40)
    assert earliest_send(T0, T0 - 2 * HOUR, HOUR) == T0


def test_smtp_failures_back_off_doubling_to_an_hour_and_a_refusal_is_final():
    delays = [judge_send(False, False, n).delay_seconds for n in range(1, 10)]
    assert delays[:4] == [30, 60, 120, 240] and max(delays) == 3600  # type: ignore[type-var]
    assert judge_send(False, True, 1).kind == "failed"
    assert judge_send(False, False, MAX_ATTEMPTS).kind == "failed"
    assert judge_send(True, False, 3).kind == "sent"


@pytest.mark.parametrize("bad", ["", "no-at-sign", "a@b", "a b@c.go.th", "x@-bad.go.th", "a@" + "b" * 250 + ".th"])
def test_implausible_addresses_are_refused(bad):
    with pytest.raises(ProblemError):
        checked_address(bad)


def test_a_plausible_address_is_kept_trimmed():
    assert checked_address("  somchai@dga.or.th ") == "somchai@dga.or.th"


def test_a_thai_digest_has_one_line_and_link_per_notice_and_a_buddhist_era_deadline():
    facts = {"workflow": "plan-approval", "stage": "committee", "body": "digital-government-committee",
             "deadline": "2026-12-10T03:00:00Z"}
    done = render("th", DECISION_WAITING, [(facts, "https://c/inbox/1"), (facts, "https://c/inbox/2")], "https://u")
    assert done.title == "มีเรื่องรอการพิจารณาของท่าน (2)"
    assert "การอนุมัติแผน ขั้น committee รอการพิจารณาของ digital-government-committee (กำหนด 10/12/2569 10:00 น.)" \
        in done.text
    assert "https://c/inbox/1" in done.text and "https://c/inbox/2" in done.text and "https://u" in done.text


def test_an_english_request_notice_says_what_changed():
    facts = {"request_id": "R-1", "round_id": "round-2565", "change": "decided", "decision": "recommend_full"}
    done = render("en", REQUEST_CHANGED, [(facts, "https://c/inbox")], "https://u")
    assert done.title == "Your budget request moved on" and "Request R-1 (round-2565): screened: recommend_full" \
        in done.text
