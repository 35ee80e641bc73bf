#!/usr/bin/env bash
# `make test`: every test against real PostgreSQL and real Kafka, started privately on loopback.
# pytest's own exit code stands: 5 ("no tests collected") fails the run like any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bash scripts/with-infra.sh .venv/bin/python -m pytest "$@"
