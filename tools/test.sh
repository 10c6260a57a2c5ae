#!/usr/bin/env bash
# The whole test suite: installs what it needs, starts a local Kafka (unless KAFKA_BROKERS is set),
# type-checks, lints, runs every unit, integration and end-to-end test, and prints one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure-deps.sh || exit 1
mkdir -p tmp

started_kafka=""
if [ -z "${KAFKA_BROKERS:-}" ]; then
  if ! node tools/kafka/kafka.cjs status >/dev/null 2>&1; then started_kafka=1; fi
  node tools/kafka/kafka.cjs start >/dev/null || exit 1
fi
cleanup() { if [ -n "$started_kafka" ]; then node tools/kafka/kafka.cjs stop || true; fi; }
trap cleanup EXIT

status=0
echo "== typecheck"; npx tsc -p tsconfig.json || status=1
echo "== lint"; npx nx run-many -t lint --outputStyle=static || status=1
echo "== unit and integration tests"
npx jest --ci --selectProjects $(node tools/jest/projects.cjs --except e2e) --json --outputFile=tmp/jest-main.json || status=1
echo "== end-to-end tests"
npx jest --ci --selectProjects e2e --runInBand --json --outputFile=tmp/jest-e2e.json || status=1
node tools/jest/summary.cjs tmp/jest-main.json tmp/jest-e2e.json || status=1
exit $status
