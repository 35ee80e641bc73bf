#!/bin/sh
# Creates every dgplan topic before the services start (idempotent: --if-not-exists).
# The list is the operations guide's topic table; tests/deploy checks it against the event
# schemas and subscriptions of the services, so a new aggregate cannot be forgotten here.
#   BOOTSTRAP           broker to talk to             (default kafka:9092)
#   PARTITIONS          partitions per topic          (default 3; ordering is per aggregate key)
#   REPLICATION_FACTOR  copies of each partition      (default 1 here; 3 in production)
#   MIN_INSYNC_REPLICAS acks=all needs this many      (default 1 here; 2 in production)
#   TOPIC_PREFIX        put before every name         (= the services' <PREFIX>KAFKA_TOPIC_PREFIX; default none)
#   EVENT_RETENTION_MS  how long events stay          (default -1: forever, so any consumer can
#                       be replayed from the start; dead-letter topics always keep forever)
set -eu
BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
PARTITIONS="${PARTITIONS:-3}"
REPLICATION_FACTOR="${REPLICATION_FACTOR:-1}"
MIN_INSYNC_REPLICAS="${MIN_INSYNC_REPLICAS:-1}"
TOPIC_PREFIX="${TOPIC_PREFIX:-}"
EVENT_RETENTION_MS="${EVENT_RETENTION_MS:--1}"
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
notifications.endpoint.events
gateway.plan-approval.events
gateway.budget-screening.events
gateway.workflow.events
gateway.body.events
plan-registry.dlq
budget-ledger.dlq
monitoring.dlq
notifications.dlq
gateway.dlq
"

for topic in $TOPICS; do
  case "$topic" in
    # A dead-lettered event waits for an operator: it must never expire unseen.
    *.dlq) retention=-1 ;;
    *) retention="$EVENT_RETENTION_MS" ;;
  esac
  "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$TOPIC_PREFIX$topic" --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR" \
    --config min.insync.replicas="$MIN_INSYNC_REPLICAS" --config retention.ms="$retention"
done
"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --list
