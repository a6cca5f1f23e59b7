#!/usr/bin/env bash
# One load run against the built app on an already seeded bench database (run `npm run bench` once
# first), printing req/s, p99 and the server's CPU time per request (user + system over the requests
# served), which varies less than req/s on a shared machine. Env: DUR (seconds, 8), LOG_LEVEL, RELAY,
# DIST (another build to measure, e.g. a copy of the previous commit's dist/), PIN=1 (the app on CPU 1,
# the load and PostgreSQL on CPU 0: steadier figures on a 2-core machine).
# With --cpu-prof, read the profile with: npx ts-node --transpile-only bench/profile-summary.ts FILE
# usage: bench/cpu-per-request.sh <label> <get|get-random|list|put|put-one> [node flags, e.g. --cpu-prof --cpu-prof-dir=DIR]
# put: tier changes to random customers (as `npm run bench`); put-one: no-op writes to one customer;
# get-random: reads of random customers (get: one customer).
label=$1; kind=$2; shift 2
DB=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/customer_admin_bench}
KEY=bench-secret-key-0123456789abcdefghij
cd "$(dirname "$0")/.."
mkdir -p .data/cpu-per-request
${PIN:+taskset -c 1} env $XENV ${POOL:+DB_POOL_SIZE=$POOL} PORT=3999 DATABASE_URL=$DB ADMIN_API_KEYS="bench:write:$KEY" THROTTLE_LIMIT=1000000 NODE_ENV=production LOG_LEVEL=${LOG_LEVEL:-info} EVENT_RELAY_ENABLED=${RELAY:-true} node --max-old-space-size=192 "$@" ${DIST:-dist}/main.js > .data/cpu-per-request/app-$label.log 2>&1 &
pid=$!
[ -n "$PIN" ] && for p in $(pgrep -x postgres); do taskset -pc 0 $p >/dev/null 2>&1; done
for i in $(seq 1 100); do curl -sf localhost:3999/health/live >/dev/null && break; sleep 0.1; done
case $kind in
  put|get-random)
    method=PUT; [ "$kind" = get-random ] && method=GET
    psql -At $DB -c "select json_agg(customer_id) from (select customer_id from customers order by random() limit 10000) s" > .data/cpu-per-request/ids.json
    load() { ${PIN:+taskset -c 0} npx ts-node --transpile-only bench/put-load.ts http://127.0.0.1:3999 $KEY .data/cpu-per-request/ids.json "$1" 32 $method 2>/dev/null; };;
  get|list|put-one)
    ID=$(psql -At $DB -c "select customer_id from customers limit 1")
    case $kind in
      get) args=(-c 32 "http://127.0.0.1:3999/admin/customers/$ID");;
      list) args=(-c 8 "http://127.0.0.1:3999/admin/customers");;
      put-one) args=(-c 32 -m PUT -H "content-type: application/json" -b '{"metadata":{"bench":1}}' "http://127.0.0.1:3999/admin/customers/$ID");;
    esac
    # autocannon's JSON reduced to what put-load.ts prints.
    load() {
      ${PIN:+taskset -c 0} npx autocannon -j -d "$1" -H "x-api-key: $KEY" "${args[@]}" 2>/dev/null | node -e '
let text = ""; process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => {
  const r = JSON.parse(text);
  console.log(JSON.stringify({ rps: r.requests.average, p99: r.latency.p99, total: r.requests.total, errors: r.errors + r.non2xx }));
});';
    };;
  *) echo "unknown kind: $kind" >&2; kill -TERM $pid; exit 2;;
esac
load 2 >/dev/null  # warm-up
before=$(awk '{print $14+$15}' /proc/$pid/stat)
out=$(load ${DUR:-8})
after=$(awk '{print $14+$15}' /proc/$pid/stat)
node -e '
const r = JSON.parse(process.argv[1]); const ticks = Number(process.argv[2]);
console.log(`${process.argv[3].padEnd(14)} ${r.rps.toFixed(0).padStart(6)} req/s  p99 ${String(r.p99).padStart(4)} ms  CPU ${(ticks * 10000 / r.total).toFixed(0).padStart(5)} µs/request  errors ${r.errors}`);
' "$out" "$((after-before))" "$label"
kill -TERM $pid; wait $pid 2>/dev/null
