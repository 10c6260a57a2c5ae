#!/usr/bin/env bash
# Installs the workspace's npm packages when they are missing or older than package-lock.json,
# and checks that Postgres answers (starting the local cluster where one is installed but stopped).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` from the lock file rather than `npm ci`: the registry mirror lacks some other platforms'
  # optional binaries (e.g. @swc/core-darwin-*), which `npm ci` treats as a lock mismatch.
  echo "[deps] installing npm packages from package-lock.json"
  npm install --no-audit --no-fund
fi

database_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! node -e "const {Client}=require('pg');const c=new Client({connectionString:process.argv[1],connectionTimeoutMillis:3000});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))" "$database_url"; then
  if [ -z "${DATABASE_URL:-}" ] && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "[deps] starting the local Postgres cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    sleep 2
  fi
  node -e "const {Client}=require('pg');const c=new Client({connectionString:process.argv[1],connectionTimeoutMillis:5000});c.connect().then(()=>c.end()).then(()=>process.exit(0),(e)=>{console.error('[deps] Postgres does not answer at '+process.argv[1].replace(/\/\/[^@]*@/,'//***@')+': '+e.message);process.exit(1)})" "$database_url"
fi
