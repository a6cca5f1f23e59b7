#!/usr/bin/env bash
# The NOTIFY lock, measured without the app: the PUT's transaction with NOTIFY inside it against the
# relay's shape (no NOTIFY), alternating, at 8 and 32 clients, on a scratch database of the server in
# $SERVER_URL (default: the local PostgreSQL). Usage: bench/pgbench/run.sh [seconds per run] [rounds]
set -euo pipefail
cd "$(dirname "$0")"
SERVER_URL=${SERVER_URL:-postgres://postgres@127.0.0.1:5432/postgres}
SECONDS_PER_RUN=${1:-10}
ROUNDS=${2:-3}
DB=customer_admin_pgbench
psql -q "$SERVER_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
URL="${SERVER_URL%/*}/$DB"
(cd ../.. && DATABASE_URL="$URL" node dist/scripts/seed.js --count 10000 >/dev/null)
psql -q "$URL" -c "CREATE TABLE bench_ids AS SELECT row_number() OVER (ORDER BY customer_id)::int AS n, customer_id AS id FROM customers" -c "CREATE UNIQUE INDEX ON bench_ids (n)"
for round in $(seq 1 "$ROUNDS"); do
  for clients in 8 32; do
    for script in notify-in-transaction relay; do
      tps=$(pgbench -n -M prepared -c "$clients" -j 2 -T "$SECONDS_PER_RUN" -f "$script.sql" "$URL" 2>/dev/null | awk '/^tps/ {print int($3)}')
      echo "round $round, $clients clients, $script: $tps tps"
    done
  done
done
psql -q "$SERVER_URL" -c "DROP DATABASE $DB WITH (FORCE)"
