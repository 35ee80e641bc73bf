# dgplan — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
SERVICES := plan-registry budget-ledger monitoring notifications gateway console
STAMP := $(VENV)/.installed
INSTALL_INPUTS := requirements/constraints.txt requirements/dev.txt shared/pyproject.toml $(foreach s,$(SERVICES),services/$(s)/pyproject.toml) \
	services/console/package.json

.PHONY: run test test-fast install system-deps infra-up infra-down distributed bench fault-long fault-replicated restore-drill fuzz freeze clean help

help:
	@echo "make run    - the whole suite in one process (SQLite, in-process bus), seeded, on http://127.0.0.1:8000"
	@echo "make test   - every test, including real PostgreSQL and real Apache Kafka"
	@echo "make test-fast       - unit and API tests only (SQLite, in-memory bus)"
	@echo "make distributed     - every service's API, relay and consumer as processes on PostgreSQL + Kafka"
	@echo "make bench           - the benchmark suite (writes bench/results/)"
	@echo "make fault-long      - the long fault-injection run"
	@echo "make fault-replicated - the replicated fault run (3 brokers, 2 consumers per service, 2 gateways), three seeds in a row"
	@echo "make restore-drill   - the long backup-and-restore drill; prints its recovery point and time"
	@echo "make fuzz            - schemathesis with every role against every document (make test runs a short form)"

$(STAMP): $(INSTALL_INPUTS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements/constraints.txt -r requirements/dev.txt \
		-e shared $(foreach s,$(SERVICES),-e services/$(s))
	@# The console's Thai webfont and the browser tests' axe-core: exact versions, no lock file.
	npm install --prefix services/console --no-package-lock --no-audit --no-fund --loglevel=error
	@touch $(STAMP)

install: $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

# Webhooks may reach receivers on this machine only in `make run` (the SSRF policy refuses loopback otherwise).
run: install
	NOTIFICATIONS_WEBHOOK_ALLOWLIST=$${NOTIFICATIONS_WEBHOOK_ALLOWLIST-127.0.0.1} $(PY) -m dgplan_shared.embedded

test: install system-deps
	@bash scripts/test.sh

test-fast: install
	$(PY) -m pytest -m "not postgres and not kafka and not slow" -q

infra-up: install system-deps
	$(PY) -m dgplan_shared.testing.infra up --dir .infra/dev

infra-down:
	$(PY) -m dgplan_shared.testing.infra down --dir .infra/dev

distributed: install system-deps
	$(PY) -m dgplan_shared.testing.distributed

bench: install system-deps
	@bash scripts/with-infra.sh $(PY) -m bench

fault-long: install system-deps
	@DGPLAN_FAULT_LONG=1 bash scripts/with-infra.sh $(PY) -m pytest -m slow tests/fault -q

# Three seeds in a row, each drawn afresh and printed with the run's figures (-s); the first failure stops.
fault-replicated: install system-deps
	@for run in 1 2 3; do \
		echo "== replicated fault run $$run of 3"; \
		bash scripts/with-infra.sh $(PY) -m pytest tests/fault -k replicated -q -s || exit 1; \
	done

# -s: the drill prints its recovery point and recovery time figures.
restore-drill: install system-deps
	@bash scripts/with-infra.sh $(PY) -m pytest -m slow tests/restore -q -s

fuzz: install system-deps
	@bash scripts/with-infra.sh $(PY) -m pytest -m "slow or not slow" tests/fuzz -q

freeze:
	$(PY) -m pip freeze --exclude-editable | grep -v '^dgplan' > requirements/constraints.txt.new
	@echo "review and move requirements/constraints.txt.new over constraints.txt"

clean:
	rm -rf $(VENV) .infra var infra/kafka/target
