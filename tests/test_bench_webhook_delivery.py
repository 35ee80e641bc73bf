"""bench/webhook_delivery.py in miniature, so the benchmark cannot rot: a few events along the whole
path (ledger outbox, relay, Kafka, notifications consumer, deliver daemon, receivers on 127.0.0.1),
every figure produced, no duplicate and no bad signature. Writes no results file.

Marked slow (not in `make test`): about 30 s on a busy 2-core machine, most of it the consumer
joining its Kafka group and the daemon's process starting three times. Run it with
`bash scripts/with-infra.sh .venv/bin/python -m pytest -m slow tests/test_bench_webhook_delivery.py`."""

from __future__ import annotations

import pytest

from bench.webhook_delivery import Params, measure, rows

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow]


async def test_the_webhook_delivery_bench_runs_end_to_end_with_tiny_counts(postgres_server, kafka_bootstrap):
    measured = await measure(Params(events=3, warmup=1, one=8, endpoints=2, each=3, shared_host=False),
                             postgres_server, kafka_bootstrap)
    assert len(measured["total"]) == 3 and all(t > 0 for t in measured["total"])
    assert not measured["failed_attempts"], measured["failed_attempts"]
    assert measured["duplicates"] == 0 and measured["bad_signatures"] == 0 and measured["verified"] > 0
    assert measured["max_in_flight"] <= 4
    table = {r["metric"]: r for r in rows(measured)}
    assert table["delivered/s, 1 endpoint (8 deliveries)"]["value"] > 0
    assert table["delivered/s, 2 endpoints (6 deliveries)"]["value"] > 0
    assert not [r for r in table.values() if r["meets"] is False]
