#!/usr/bin/env bash
# Runs the whole platform on this machine: installs what it needs, starts Kafka (unless KAFKA_BROKERS
# is set), the Xero sandbox (unless XERO_API_BASE_URL points elsewhere), migrates every schema and
# starts every service. The services wait out a Postgres or Kafka restart on their own; one that exits
# anyway is started again, as Kubernetes would. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure-deps.sh
mkdir -p tmp/logs

# Development secrets: made once per checkout, kept out of git (tmp/ is ignored).
if [ ! -f tmp/dev.env ]; then
  node -e '
    const b = (n) => require("node:crypto").randomBytes(n).toString("base64");
    const h = (n) => require("node:crypto").randomBytes(n).toString("hex");
    console.log(`TOKEN_ENCRYPTION_KEYS=dev1:${b(32)}`);
    console.log("TOKEN_ENCRYPTION_ACTIVE_KEY=dev1");
    console.log(`JWT_SECRET=${h(32)}`);
    console.log(`INTERNAL_API_TOKEN=${h(32)}`);
  ' > tmp/dev.env
  chmod 600 tmp/dev.env
fi
set -a
# shellcheck disable=SC1091
. tmp/dev.env
set +a

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-$(node tools/kafka/kafka.cjs start)}"
export XERO_API_BASE_URL="${XERO_API_BASE_URL:-http://127.0.0.1:4010}"
export CONNECTIONS_INTERNAL_URL="${CONNECTIONS_INTERNAL_URL:-http://127.0.0.1:3001}"
# Xero sends the admin back to the console's page, which completes the connect with their JWT (npm run demo reads
# the code from the redirect itself, wherever it points).
export XERO_REDIRECT_URI="${XERO_REDIRECT_URI:-http://127.0.0.1:3000/connect/callback}"
export SANDBOX_WEBHOOK_URL="${SANDBOX_WEBHOOK_URL:-http://127.0.0.1:3004/v1/webhooks/xero}"
export XERO_WEBHOOK_KEY="${XERO_WEBHOOK_KEY:-${SANDBOX_WEBHOOK_KEY:-ledgerline-dev-webhook-key}}" # the sandbox's dev key (apps/xero-sandbox/src/config/sandbox-config.ts)
# The console's dev sign-in (choose a company and role): for local runs only, never in a deployment.
export CONSOLE_DEV_SIGN_IN="${CONSOLE_DEV_SIGN_IN:-true}"
export SANDBOX_STATE_FILE="${SANDBOX_STATE_FILE:-tmp/sandbox-state.json}"

pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

start() { # name entry port
  : >"tmp/logs/$1.log"
  (
    # A SIGTERM here is passed on, and the service's drain (up to SHUTDOWN_GRACE_MS) is waited for.
    child=
    trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; [ -n "$child" ] && wait "$child" 2>/dev/null; exit 0' TERM INT
    while :; do
      PORT="$3" node -r @swc-node/register "$2" >>"tmp/logs/$1.log" 2>&1 &
      child=$!
      code=0
      wait "$child" || code=$?
      child=
      echo "$1 exited with status $code; starting it again in 2 s (log: tmp/logs/$1.log)" >&2
      sleep 2
    done
  ) &
  pids+=("$!")
  echo "  $1 on http://127.0.0.1:$3 (log: tmp/logs/$1.log)"
}

wait_ready() { # name url
  for _ in $(seq 1 120); do
    if curl -fs "$2" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "$1 did not become ready; last lines of tmp/logs/$1.log:" >&2
  tail -n 20 "tmp/logs/$1.log" >&2
  return 1
}

echo "Ledgerline"
if [ ! -f "$SANDBOX_STATE_FILE" ] && [ "$XERO_API_BASE_URL" = "http://127.0.0.1:4010" ] && node -e '
  const { Client } = require("pg");
  const client = new Client({ connectionString: process.argv[1] });
  client.connect()
    .then(() => client.query("SELECT 1 FROM connections.xero_connections LIMIT 1"))
    .then((result) => process.exit(result.rowCount > 0 ? 0 : 1), () => process.exit(1));
' "$DATABASE_URL"; then
  echo "  note: the sandbox starts empty but the database holds Xero connections from an earlier run;" >&2
  echo "        they point at sandbox records that no longer exist. npm run reset:local -- --yes starts both afresh." >&2
fi
echo "  Kafka at $KAFKA_BROKERS"
if [ "$XERO_API_BASE_URL" = "http://127.0.0.1:4010" ]; then
  start xero-sandbox apps/xero-sandbox/src/main.ts 4010
  wait_ready xero-sandbox http://127.0.0.1:4010/health/live
fi

for service in connections contacts documents payments console; do
  node -r @swc-node/register "apps/$service/src/migrate.ts"
done
# The console's admin page (React, built by Vite in a few seconds into dist/apps/console/web).
npx vite build --config apps/console/vite.config.mts

start connections apps/connections/src/main.ts 3001
start contacts apps/contacts/src/main.ts 3002
start documents apps/documents/src/main.ts 3003
start payments apps/payments/src/main.ts 3004
start console apps/console/src/main.ts 3000
for pair in connections:3001 contacts:3002 documents:3003 payments:3004 console:3000; do
  wait_ready "${pair%%:*}" "http://127.0.0.1:${pair##*:}/health/ready"
done
echo "All services are ready; the console is on http://127.0.0.1:3000. Ctrl-C stops them."
wait
