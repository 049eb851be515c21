#!/usr/bin/env bash
# Web benchmark (BENCHMARKS.md, "Web application"): builds the release binary, a
# million-household province on SQLite and on PostgreSQL, then serves each and sends
# mixed read traffic with `sipmas bench web` from the same machine.
#   bash bench/web/run.sh            # CONC=16 SECONDS_RUN=30 by default
# Needs a PostgreSQL account that may create databases: PG_ADMIN_URL (default below).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${BENCH_DIR:-/tmp/bench-web}"
pg_admin="${PG_ADMIN_URL:-postgres://sipmas:sipmas@127.0.0.1:5432/postgres}"
mkdir -p "$work"
(cd "$repo" && cargo build --release -p sipmas-cli)
cp "${CARGO_TARGET_DIR:-$repo/target}/release/sipmas" "$work/sipmas"
cd "$work"
if [ ! -e big.db ]; then
  ./sipmas --database-url sqlite://$work/big.db demo --households 1000000 --no-serve
  echo bench-admin-pass | ./sipmas --database-url sqlite://$work/big.db users add --username admin --role admin --password-stdin
fi
if ! psql "$pg_admin" -Atc "select 1 from pg_database where datname = 'benchweb'" | grep -q 1; then
  psql "$pg_admin" -c "create database benchweb"
  ./sipmas --database-url "${pg_admin%/*}/benchweb" demo --households 1000000 --no-serve
  echo bench-admin-pass | ./sipmas --database-url "${pg_admin%/*}/benchweb" users add --username admin --role admin --password-stdin
fi
for backend in sqlite postgres; do
  case $backend in
    sqlite) url=sqlite://$work/big.db ;;
    postgres) url="${pg_admin%/*}/benchweb" ;;
  esac
  ./sipmas --database-url "$url" serve --bind 127.0.0.1:8181 > "serve-$backend.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do curl -sf http://127.0.0.1:8181/health > /dev/null && break; sleep 0.5; done
  # Warm-up pass (page cache), then the measured run.
  echo bench-admin-pass | ./sipmas bench web --url http://127.0.0.1:8181 --username admin --password-stdin --seconds 5 --concurrency 8 > /dev/null
  echo "== $backend"
  echo bench-admin-pass | ./sipmas bench web --url http://127.0.0.1:8181 --username admin --password-stdin --seconds ${SECONDS_RUN:-30} --concurrency ${CONC:-16} | tee "bench-$backend.txt"
  ps -o rss= -p $pid | awk '{print "server RSS MB", $1/1024}'
  kill $pid; wait $pid 2>/dev/null || true
done
