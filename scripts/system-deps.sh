#!/usr/bin/env bash
# Debian packages the tests need: PostgreSQL server binaries, Java 17 and Maven (for Kafka), jq,
# Chromium and Thai fonts (the console's browser tests; Playwright's own browser download is not used).
# Installs only what is missing.
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || missing+=(postgresql)
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v runuser >/dev/null || missing+=(util-linux)
command -v jq >/dev/null || missing+=(jq)  # deploy/k8s/run-once.sh and its test
command -v chromium >/dev/null || missing+=(chromium)  # the console's browser tests (Playwright drives it)
# Thai glyphs in the browser tests' screenshots; the console also serves its own webfont.
fc-list 2>/dev/null | grep -qi "tlwg" || missing+=(fonts-thai-tlwg)
command -v npm >/dev/null || missing+=(npm)  # the console's pinned assets and axe-core
# kubectl (with kustomize v5) comes with the build machines' image; Debian's kubernetes-client is too old
# to render the overlays, so a machine without kubectl fails the deployment tests (they never skip in CI).
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Kafka's jars come from Maven Central once, then from Maven's local cache.
.venv/bin/python -m dgplan_shared.testing.infra kafka-jars >/dev/null
