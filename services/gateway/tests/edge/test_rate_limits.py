"""Per-client token buckets: a burst passes, then 429 with Retry-After; clients do not share a
bucket; health checks are never limited."""

from __future__ import annotations

from gateway.edge.domain.rate_limit import TokenBuckets, retry_after_header


def test_a_bucket_allows_the_burst_then_refills_at_the_rate():
    now = [0.0]
    buckets = TokenBuckets(rate=2.0, burst=3, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == 0.5  # one token takes half a second at 2/s
    assert buckets.take("b") == 0.0  # another client has its own bucket
    now[0] += 0.5
    assert buckets.take("a") == 0.0
    assert buckets.take("a") > 0
    now[0] += 100
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]  # never more than the burst
    assert buckets.take("a") > 0
    assert retry_after_header(0.2) == "1" and retry_after_header(2.1) == "3"


async def test_over_the_limit_is_429_with_retry_after_per_client(gateway, bearer):
    async with gateway(rate_limit_per_second=0.5, rate_limit_burst=3) as (client, runtime):
        statuses = [(await client.get("/api/v1/plans")).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = await client.get("/api/v1/plans")
        assert limited.headers["content-type"] == "application/problem+json"
        assert limited.json()["type"] == "urn:dgplan:problem:rate-limited"
        assert int(limited.headers["retry-after"]) >= 1
        # An authenticated client is counted by its client id, not the shared address.
        headers = await bearer(runtime, "secretariat", subject="dga")
        assert [(await client.get("/api/v1/plans", headers=headers)).status_code for _ in range(3)] == [200] * 3
        assert (await client.get("/api/v1/plans", headers=headers)).status_code == 429
        assert (await client.get("/healthz")).status_code == 200


async def test_zero_turns_limits_off(gateway):
    async with gateway(rate_limit_per_second=0, rate_limit_burst=1) as (client, _):
        assert {(await client.get("/api/v1/plans")).status_code for _ in range(5)} == {200}
