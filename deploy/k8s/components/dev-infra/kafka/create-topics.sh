#!/bin/sh
# Creates every dgplan topic before the services start (idempotent: --if-not-exists).
# The list is the operations guide's topic table; tests/deploy checks it against the event
# schemas and subscriptions of the services, so a new aggregate cannot be forgotten here.
#   BOOTSTRAP           broker to talk to             (default kafka:9092)
#   PARTITIONS          partitions per topic          (default 3; ordering is per aggregate key)
#   REPLICATION_FACTOR  copies of each partition      (default 1 here; 3 in production)
#   MIN_INSYNC_REPLICAS acks=all needs this many      (default 1 here; 2 in production)
set -eu
BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
PARTITIONS="${PARTITIONS:-3}"
REPLICATION_FACTOR="${REPLICATION_FACTOR:-1}"
MIN_INSYNC_REPLICAS="${MIN_INSYNC_REPLICAS:-1}"
KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"

TOPICS="
plan-registry.plan.events
plan-registry.project.events
plan-registry.agency.events
plan-registry.observation.events
budget-ledger.screening.events
budget-ledger.budget.events
monitoring.progress.events
monitoring.evaluation.events
gateway.plan-approval.events
gateway.budget-screening.events
gateway.workflow.events
plan-registry.dlq
budget-ledger.dlq
monitoring.dlq
gateway.dlq
"

for topic in $TOPICS; do
  "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR" \
    --config min.insync.replicas="$MIN_INSYNC_REPLICAS"
done
"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --list
