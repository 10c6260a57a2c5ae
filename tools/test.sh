#!/usr/bin/env bash
# The whole test suite: installs what it needs, starts a local Kafka (unless KAFKA_BROKERS is set),
# type-checks, lints, runs every unit, integration and end-to-end test, and prints one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure-deps.sh || exit 1
mkdir -p tmp

# The suite runs on a broker of its own, on a port of its own (KAFKA_PORT, 39092 unless set), started here and
# stopped at the end: a broker someone else left on 9092 may go away in mid-run. One this launcher left on the
# test port (a run that was killed) is stopped first.
started_kafka=""
if [ -z "${KAFKA_BROKERS:-}" ]; then
  export KAFKA_PORT="${KAFKA_PORT:-39092}"
  if node tools/kafka/kafka.cjs status >/dev/null 2>&1; then node tools/kafka/kafka.cjs stop >/dev/null 2>&1 || true; fi
  node tools/kafka/kafka.cjs start >/dev/null || exit 1
  started_kafka=1
fi
cleanup() { if [ -n "$started_kafka" ]; then node tools/kafka/kafka.cjs stop || true; fi; }
trap cleanup EXIT

# A Jest run that does not exit once its tests are done (an open handle) is stopped, so the run ends with a
# failure that says so instead of running on until CI gives up.
bounded() {
  local limit=$1; shift
  timeout --kill-after=30 "$limit" "$@"
  local code=$?
  if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then echo "!! $* was still running after ${limit}s and was stopped"; fi
  return $code
}

status=0
echo "== typecheck"; npx tsc -p tsconfig.json || status=1
echo "== lint"; npx nx run-many -t lint --outputStyle=static || status=1
echo "== unit and integration tests"
bounded 2700 npx jest --ci --selectProjects $(node tools/jest/projects.cjs --except e2e) --json --outputFile=tmp/jest-main.json || status=1
echo "== end-to-end tests"
bounded 1500 npx jest --ci --selectProjects e2e --runInBand --json --outputFile=tmp/jest-e2e.json || status=1
node tools/jest/summary.cjs tmp/jest-main.json tmp/jest-e2e.json || status=1
exit $status
