# Sourced by the GraphQL benchmarks: starts the release gateway on PostgreSQL and Redis with
# the demo comune, rate limits off, and logs the demo guardian in.
#
# Needs: $target (cargo's target dir), $data (a scratch dir). Sets: $gw_pid, $token, $HOST.
PG=${MENSA_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
REDIS=${MENSA_BENCH_REDIS:-redis://127.0.0.1:6379}
GATEWAY_PORT=9181
BARE_PORT=9182
HOST="sancascianovaldipesa.localhost:$GATEWAY_PORT"

start_gateway() {
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS mensa_bench" -qc "CREATE DATABASE mensa_bench" >/dev/null
  DATABASE_URL="$PG/mensa_bench" REDIS_URL="$REDIS" MENSA_DEMO=true MENSA_DATA_DIR="$data" \
    MENSA_CACHE_PREFIX="bench$$" MENSA_ADDR="127.0.0.1:$GATEWAY_PORT" MENSA_LOG_FORMAT=text \
    RUST_LOG=warn MENSA_GRAPHQL_RATE_PER_CREDENTIAL=0 MENSA_GRAPHQL_RATE_PER_ADDRESS=0 \
    "$target/release/mensa" serve >"$data/gateway.log" 2>&1 &
  gw_pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$GATEWAY_PORT/healthz" >/dev/null && break; sleep 0.2; done
  token=$(gql "" '{"query":"mutation { login(username: \"genitore\", password: \"Mensa-2026\") { token } }"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["token"])')
}

gql() {  # $1 token (may be empty), $2 JSON body, $3 path (default /graphql)
  curl -sf -H "Host: $HOST" -H 'Content-Type: application/json' ${1:+-H "Authorization: Bearer $1"} \
    --data "$2" "http://127.0.0.1:$GATEWAY_PORT${3:-/graphql}"
}

load() {  # $1 URL, $2 JSON body; wrk's report in $data/wrk.txt, one summary line on stdout
  MENSA_TOKEN=$token MENSA_HOST=$HOST MENSA_BODY=$2 \
    wrk -t2 -c"${CONNECTIONS:-32}" -d"${DURATION:-10s}" --latency -s scripts/bench/graphql-account.lua \
    "$1" > "$data/wrk.txt"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$data/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$data/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$data/wrk.txt")
  errors=$(grep -E "Non-2xx|Socket errors" "$data/wrk.txt" || true)
  echo "$rps req/s, p50 $p50, p99 $p99 ${errors}"
}
