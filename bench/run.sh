#!/usr/bin/env bash
# Load harness: our GraphQL server side by side with the SQL a hand-written server
# would run for the same answer (the floor). See bench/README.md.
#
# For each workload: a warm-up, then ROUNDS rounds alternating `wrk` against the release server
# and `pgbench -M prepared` running the floor, both picking a random organization per request
# from the same targets. Prints the median rate, the median p99, the ratio to the floor and the
# server's peak RSS. W1 is also run on SQLite, as a ratio to the PostgreSQL figure.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
DB=${BENCH_DB:-crm_bench}
WORK=${BENCH_WORK:-/tmp/crm-bench}
PORT=${BENCH_PORT:-8090}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=16
THREADS=2
WORKLOADS=${WORKLOADS:-w1 w2 w3}
SQLITE=${SQLITE:-1}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
CRM=$TARGET_DIR/release/crm
# Tokens are signed with this; the server and `crm token` must agree.
export CRM_JWT_SECRET=${CRM_JWT_SECRET:-bench-secret-bench-secret-bench-secret-0001}
export CRM_ENV=production CRM_LOG=${CRM_LOG:-warn} CRM_BIND=127.0.0.1:$PORT

log() { printf '%s\n' "$*" >&2; }

install_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v pgbench >/dev/null || missing+=(postgresql-contrib)
  command -v psql >/dev/null || missing+=(postgresql-client)
  command -v curl >/dev/null || missing+=(curl)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
      { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }
  fi
}

build() {
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building the release server"
    (cd "$ROOT" && cargo build --release -p gateway --quiet)
  fi
}

# Creates and fills the benchmark database (seeding skips organizations already there).
prepare_postgres() {
  psql "$PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 ||
    psql "$PG/postgres" -qc "CREATE DATABASE $DB"
  export DATABASE_URL=$PG/$DB
  "$CRM" migrate >/dev/null
  log "seeding the scale data on PostgreSQL (skipped for organizations already there)"
  "$CRM" seed --scale >&2
}

prepare_sqlite() {
  export DATABASE_URL="sqlite://$WORK/scale.sqlite?mode=rwc"
  "$CRM" migrate >/dev/null
  log "seeding the scale data on SQLite (skipped for organizations already there)"
  "$CRM" seed --scale >&2
}

# Writes $WORK/<name>.targets, one tab-separated line per target: a token of the organization's
# administrator, the organization id, a contact id, the administrator's user id and the
# organization's default contact status. W2 takes `per_org` fixed contacts per organization.
write_targets() {
  local name=$1 per_org=$2 rows
  rows=$(psql "$DATABASE_URL" -tA -F $'\t' -c "
    SELECT u.email, o.id, c.id, u.id, s.id
    FROM organizations o
    JOIN users u ON u.organization_id = o.id AND u.email = 'admin@scale-' || right(o.slug, 2) || '.example'
    JOIN contact_statuses s ON s.organization_id = o.id AND s.is_default
    CROSS JOIN LATERAL (
      SELECT id FROM contacts
      WHERE organization_id = o.id AND deleted_at IS NULL
      ORDER BY md5(id::text) LIMIT $per_org
    ) c
    WHERE o.slug LIKE 'scale-org-%'
    ORDER BY o.slug, c.id")
  [ -n "$rows" ] || { log "no scale organizations in $DATABASE_URL"; exit 1; }
  local emails=() email
  while IFS=$'\t' read -r email _; do emails+=(--email "$email"); done <<<"$rows"
  paste <("$CRM" token "${emails[@]}") <(cut -f2- <<<"$rows") >"$WORK/$name.targets"
}

# Tokens for the SQLite pass: W1 needs no ids, so no database client is needed.
write_sqlite_targets() {
  local emails=() n
  for n in $(seq -w 0 49); do emails+=(--email "admin@scale-$n.example"); done
  "$CRM" token "${emails[@]}" | sed 's/$/\t-\t-\t-\t-/' >"$WORK/w1-sqlite.targets"
}

# One pgbench script per target, from the workload's template in bench/floor/ with {{org}},
# {{contact}}, {{owner}} and {{status}} filled in from the target.
write_floor_scripts() {
  local workload=$1 targets=$2 dir=$WORK/floor-$1 n=0 org contact owner status
  rm -rf "$dir" && mkdir -p "$dir"
  while IFS=$'\t' read -r _ org contact owner status; do
    sed -e "s/{{org}}/$org/g" -e "s/{{contact}}/$contact/g" -e "s/{{owner}}/$owner/g" \
      -e "s/{{status}}/$status/g" "$BENCH/floor/$workload.sql" >"$dir/$(printf %03d $n).sql"
    n=$((n + 1))
  done <"$targets"
}

# Deletes the contacts W3 and its floor created (e-mails at bench.example) with their audit
# rows, so that every run, and W1's newest-first page, sees the scale data as seeded.
forget_created_contacts() {
  psql "$DATABASE_URL" -q -c "
    DELETE FROM audit_log WHERE entity_type = 'Contact' AND entity_id IN
      (SELECT id FROM contacts WHERE email LIKE '%@bench.example');
    DELETE FROM contacts WHERE email LIKE '%@bench.example';" -c "VACUUM ANALYZE"
}

start_server() {
  "$CRM" serve >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    curl -fsS "http://$CRM_BIND/readyz" >/dev/null 2>&1 && return
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
  done
  log "the server did not become ready"; exit 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
}

# The server's peak resident set so far, in MB.
peak_rss_mb() {
  awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"
}

# Sends one request the way the wrk script does and fails on any GraphQL error, since those
# come back as HTTP 200 and wrk would count them as successes.
check_one() {
  local workload=$1 targets=$2 token contact query variables answer
  IFS=$'\t' read -r token _ contact _ <"$targets"
  query=$(<"$BENCH/queries/$workload.graphql")
  case $workload in
  w1) variables='{}' ;;
  w2) variables="{\"id\":\"$contact\"}" ;;
  w3) variables='{"data":{"firstName":"Bench","lastName":"Check","email":"check-'$RANDOM$RANDOM'@bench.example","phone":"+1 555 0100","companyName":"Load Test Ltd"}}' ;;
  esac
  answer=$(curl -sS "http://$CRM_BIND/graphql" -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $token" --data "{\"query\":\"$query\",\"variables\":$variables}")
  if grep -q '"errors"' <<<"$answer" || ! grep -q '"data":{"' <<<"$answer"; then
    log "$workload answered with an error: ${answer:0:600}"; exit 1
  fi
  case $workload in
  w1) [ "$(grep -o '"firstName"' <<<"$answer" | wc -l)" -eq 50 ] || { log "w1: not 50 contacts"; exit 1; } ;;
  w2) grep -q '"tags":\[' <<<"$answer" || { log "w2: no contact"; exit 1; } ;;
  esac
}

# wrk for `seconds`; prints "<requests/s> <p99 ms>".
run_wrk() {
  local workload=$1 targets=$2 seconds=$3 out
  out=$(wrk -t$THREADS -c$CONNECTIONS -d"${seconds}s" --latency -s "$BENCH/graphql.lua" \
    "http://$CRM_BIND" -- "$targets" "$workload" "$BENCH/queries/$workload.graphql")
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then log "$out"; log "wrk saw failed requests"; exit 1; fi
  awk '
    /Requests\/sec/ { rps = $2 }
    $1 == "99%" {
      v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
      p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : (unit == "m") ? v * 60000 : v
    }
    END { printf "%.1f %.2f\n", rps, p99 }' <<<"$out"
}

# pgbench for `seconds` over the workload's floor scripts; prints transactions/s.
run_floor() {
  local workload=$1 seconds=$2 scripts=() out
  for f in "$WORK/floor-$workload"/*.sql; do scripts+=(-f "$f"); done
  if ! out=$(pgbench -n -M prepared -c $CONNECTIONS -j $THREADS -T "$seconds" "${scripts[@]}" \
    "$DATABASE_URL" 2>&1) || grep -q 'error' <<<"$out"; then
    log "$out" && log "the $workload floor failed" && exit 1
  fi
  awk '/^tps = / { printf "%.1f\n", $3 }' <<<"$out"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

RESULTS=()

# Measures one workload against its floor, or with `reference` = a rate of ours, only our
# server, as a share of that rate (the SQLite pass).
measure() {
  local label=$1 workload=$2 targets=$3 reference=${4:-} rates=() p99s=() floors=() r ours
  check_one "$workload" "$targets"
  run_wrk "$workload" "$targets" "$WARMUP" >/dev/null
  [ -n "$reference" ] || run_floor "$workload" "$WARMUP" >/dev/null
  for r in $(seq 1 "$ROUNDS"); do
    ours=$(run_wrk "$workload" "$targets" "$DURATION")
    rates+=("${ours% *}") p99s+=("${ours#* }")
    if [ -n "$reference" ]; then
      log "$label round $r: ours ${ours% *} req/s (p99 ${ours#* } ms)"
    else
      floors+=("$(run_floor "$workload" "$DURATION")")
      log "$label round $r: ours ${ours% *} req/s (p99 ${ours#* } ms), floor ${floors[-1]} tps"
    fi
  done
  local rate p99 floor_rate ratio
  rate=$(printf '%s\n' "${rates[@]}" | median)
  p99=$(printf '%s\n' "${p99s[@]}" | median)
  if [ -n "$reference" ]; then
    floor_rate="-"
    ratio=$(awk -v a="$rate" -v b="$reference" 'BEGIN { printf "%.0f%% of PG", 100 * a / b }')
  else
    floor_rate=$(printf '%s\n' "${floors[@]}" | median)
    ratio=$(awk -v a="$rate" -v b="$floor_rate" 'BEGIN { printf "%.1f%%", 100 * a / b }')
  fi
  RESULTS+=("$(printf '%-10s %9s %8s %10s %12s %7s' "$label" "$rate" "$p99" "$floor_rate" "$ratio" "$(peak_rss_mb)")")
  LAST_RATE=$rate
}

# Tokens live 15 minutes, so each workload writes its targets (and floor scripts) just before
# it runs; W2 takes two contacts per organization.
prepare_workload() {
  local workload=$1
  if [ "$workload" = w2 ]; then write_targets two-per-org 2; else write_targets per-org 1; fi
  TARGETS=$WORK/$([ "$workload" = w2 ] && echo two-per-org || echo per-org).targets
  write_floor_scripts "$workload" "$TARGETS"
}

main() {
  install_tools
  build
  mkdir -p "$WORK"
  trap stop_server EXIT

  prepare_postgres
  forget_created_contacts
  start_server
  local w1_rate=""
  for workload in $WORKLOADS; do
    prepare_workload "$workload"
    measure "${workload^^}" "$workload" "$TARGETS"
    if [ "$workload" = w1 ]; then w1_rate=$LAST_RATE; fi
  done
  stop_server
  forget_created_contacts

  if [ "$SQLITE" = 1 ] && [ -n "$w1_rate" ]; then
    prepare_sqlite
    write_sqlite_targets
    start_server
    measure "W1 SQLite" w1 "$WORK/w1-sqlite.targets" "$w1_rate"
    stop_server
  fi

  printf '\n%s, %s, %s cores; %s s x %s rounds after a %s s warm-up, %s connections, %s threads\n' \
    "$(date -u +%F)" "$(uname -m)" "$(nproc)" "$DURATION" "$ROUNDS" "$WARMUP" "$CONNECTIONS" "$THREADS"
  printf '%-10s %9s %8s %10s %12s %7s\n' workload "req/s" "p99 ms" "floor tps" "ratio" "RSS MB"
  printf '%s\n' "${RESULTS[@]}"
}

main "$@"
