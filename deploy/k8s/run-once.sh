#!/bin/sh
# Run one command of a service once, as a Job cut from that service's migration Job: same image,
# configuration, Secret references, service account, network policies and hardening. Follows the
# log and exits with the command's outcome. Needs kubectl and jq.
#   deploy/k8s/run-once.sh <namespace> <service> <command> [arguments...]
#   deploy/k8s/run-once.sh dgplan monitoring rebuild-read-models
#   deploy/k8s/run-once.sh dgplan plan-registry seed
# DRY_RUN=1 reads the migration Job (JSON) from stdin and prints the Job it would create.
set -eu
if [ $# -lt 3 ]; then
  sed -n '2,8p' "$0" >&2
  exit 2
fi
namespace=$1
service=$2
shift 2
name="$service-$(printf '%s' "$1" | tr -c 'a-z0-9-' '-' | cut -c1-30)-$(date +%s)"
args='[]'
for arg in "$@"; do  # one at a time: jq must not read the command's options as its own
  args=$(printf '%s' "$args" | jq -c --arg arg "$arg" '. + [$arg]')
done

migration_job() {
  if [ "${DRY_RUN:-}" = "1" ]; then cat; else kubectl -n "$namespace" get job "$service-migrate" -o json; fi
}

# Keep only what a new Job may carry: no controller uid, selector or status of the original; the
# app.kubernetes.io labels stay so the service's network policies apply to the new pod.
manifest=$(migration_job | jq --arg name "$name" --argjson args "$args" '
  def app_labels: with_entries(select(.key | startswith("app.kubernetes.io/"))) + {"app.kubernetes.io/component": "run-once"};
  {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {name: $name, labels: (.metadata.labels | app_labels)},
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: {labels: (.spec.template.metadata.labels | app_labels)},
        spec: (.spec.template.spec | .containers[0].args = $args)
      }
    }
  }')

if [ "${DRY_RUN:-}" = "1" ]; then
  printf '%s\n' "$manifest"
  exit 0
fi
printf '%s\n' "$manifest" | kubectl -n "$namespace" apply -f -
kubectl -n "$namespace" wait --for=condition=ready pod -l "job-name=$name" --timeout=5m >/dev/null 2>&1 || true
kubectl -n "$namespace" logs -f "job/$name" || true
kubectl -n "$namespace" wait --for=condition=complete "job/$name" --timeout=2h
