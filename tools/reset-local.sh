#!/usr/bin/env bash
# Starts local development afresh: drops every Ledgerline schema in DATABASE_URL and forgets the
# sandbox's saved state, so Ledgerline and the sandbox agree again. Asks before it deletes anything.
set -euo pipefail
cd "$(dirname "$0")/.."
database_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
shown="$(printf '%s' "$database_url" | sed -E 's#//[^@]*@#//***@#')"
if [ "${1:-}" != "--yes" ]; then
  echo "This drops the schemas connections, contacts, documents, payments and xero_budget in $shown"
  echo "and deletes tmp/sandbox-state.json. Run again with --yes to do it."
  exit 1
fi
node -e '
  const { Client } = require("pg");
  const client = new Client({ connectionString: process.argv[1] });
  (async () => {
    await client.connect();
    for (const schema of ["connections", "contacts", "documents", "payments", "xero_budget"]) {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
    await client.end();
  })().catch((error) => { console.error(error.message); process.exit(1); });
' "$database_url"
rm -f tmp/sandbox-state.json
echo "Local state reset: run npm start."
