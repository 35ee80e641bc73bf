#!/usr/bin/env bash
# Run a command with a private PostgreSQL cluster and a Kafka broker on loopback; stop them after.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$PWD/.infra/run-$$"
trap '.venv/bin/python -m dgplan_shared.testing.infra down --dir "$dir"' EXIT
.venv/bin/python -m dgplan_shared.testing.infra up --dir "$dir"
# shellcheck disable=SC1091
source "$dir/env"
"$@"
