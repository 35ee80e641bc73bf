"""Pure rules: event filters, agency scope, the retry schedule, the URL policy."""

import ipaddress
import random

import pytest

from dgplan_shared.errors import ProblemError
from notifications.domain.event_filters import checked_filters, matches
from notifications.domain.retry_schedule import SCHEDULE_SECONDS, judge, next_delay, parse_retry_after
from notifications.domain.scope import audience
from notifications.domain.url_policy import Allowlist, address_allowed, checked_url

NO_ALLOWLIST = Allowlist.parse("")


def test_wildcards_match_by_service_and_aggregate_only():
    filters = ["dgplan.budget-ledger.screening.*"]
    assert matches(filters, "dgplan.budget-ledger.screening.decision-recorded.v1")
    assert not matches(filters, "dgplan.budget-ledger.budget.allocation-posted.v1")
    assert matches(["dgplan.plan-registry.*"], "dgplan.plan-registry.project.changed.v1")
    assert not matches(["dgplan.plan-registry.*"], "dgplan.plan-registryx.project.changed.v1")
    assert matches(["*"], "dgplan.gateway.workflow.stage-overdue.v1")


@pytest.mark.parametrize("bad", ["dgplan.budget*", "budget-ledger.*", "dgplan.*.*", "", "dgplan.a.b.c"])
def test_a_filter_that_is_neither_a_type_nor_a_wildcard_is_refused_by_index(bad):
    with pytest.raises(ProblemError) as refused:
        checked_filters(["*", bad])
    assert refused.value.status == 422
    assert refused.value.extensions["errors"][0]["field"] == "event_types[1]"


def test_events_belong_to_the_agencies_they_name_or_are_public():
    own = audience("dgplan.budget-ledger.screening.request-submitted.v1", {"agency": "MOF"})
    assert own.reaches("MOF") and not own.reaches("OPDC") and own.reaches(None)
    by_request = audience("dgplan.budget-ledger.screening.decision-recorded.v1", {"request_id": "r1"},
                          request_agency="MOF")
    assert by_request.reaches("MOF") and not by_request.reaches("OPDC")
    unknown = audience("dgplan.budget-ledger.screening.package-submitted.v1", {"round_id": "x"})
    assert not unknown.reaches("MOF") and unknown.reaches(None)
    assert audience("dgplan.budget-ledger.screening.round-opened.v1", {}).reaches("OPDC")
    assert audience("dgplan.plan-registry.plan.version-approved.v1", {}).reaches("OPDC")
    assert not audience("dgplan.budget-ledger.screening.round-closed.v1", {"published": False}).reaches("OPDC")
    assert audience("dgplan.budget-ledger.screening.round-closed.v1", {"published": True}).reaches("OPDC")


def test_the_schedule_is_the_specifications_and_gives_up_after_the_tenth_attempt():
    assert SCHEDULE_SECONDS == (0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
    assert [next_delay(n) for n in range(10)] == list(SCHEDULE_SECONDS)
    assert next_delay(10) is None
    assert judge(500, 10, None).kind == "exhausted"
    assert judge(500, 1, None).delay == 5
    assert judge(204, 3, None).kind == "succeeded"
    assert judge(410, 1, None).kind == "gone"


def test_jitter_stays_within_its_share_and_the_factor_scales_the_schedule():
    rng = random.Random(7)
    delays = [next_delay(2, jitter=0.1, rng=rng) for _ in range(200)]
    assert min(delays) >= 270 and max(delays) <= 330 and len(set(delays)) > 100
    assert next_delay(2, factor=0.001) == pytest.approx(0.3)


def test_retry_after_is_honoured_when_longer_and_capped():
    assert judge(503, 1, "120").delay == 120
    assert judge(429, 1, "1").delay == 5  # the schedule's own wait is longer
    assert judge(503, 1, "999999", max_retry_after=3600).delay == 3600
    assert judge(500, 1, "120").delay == 5  # only 429 and 503 ask for a pause
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None


@pytest.mark.parametrize("url", [
    "http://hooks.example.org/x", "https://10.0.0.5/x", "https://127.0.0.1/x", "https://169.254.169.254/latest",
    "https://[::1]/x", "https://[::ffff:10.0.0.1]/x", "https://localhost/x", "https://100.100.100.200/x",
    "https://user:pw@hooks.example.org/x", "ftp://hooks.example.org/x", "https://192.168.1.1/x",
])
def test_urls_to_internal_addresses_or_without_tls_are_refused(url):
    with pytest.raises(ProblemError) as refused:
        checked_url(url, NO_ALLOWLIST)
    assert refused.value.status == 422


def test_the_operators_allowlist_lifts_both_rules_for_what_it_names_only():
    allow = Allowlist.parse("127.0.0.1, hooks.internal")
    assert checked_url("http://127.0.0.1:9000/hook", allow).allowlisted
    assert checked_url("http://hooks.internal/hook", allow).allowlisted
    with pytest.raises(ProblemError):
        checked_url("http://10.0.0.1/hook", allow)
    public = checked_url("https://hooks.example.org/x", NO_ALLOWLIST)
    assert not address_allowed(ipaddress.ip_address("10.1.2.3"), public, NO_ALLOWLIST)
    assert address_allowed(ipaddress.ip_address("93.184.216.34"), public, NO_ALLOWLIST)
