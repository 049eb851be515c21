#!/usr/bin/env bash
# Verval benchmark (BENCHMARKS.md, "Verval"): builds the release binary, a fresh
# 50,000-household province on SQLite and on PostgreSQL, then times a campaign over all
# of it with `sipmas bench verval` (create, assign every village, summarise, then visit,
# review and approve a sample, and one berita acara).
#   bash bench/verval/run.sh            # VISITS=200 by default
# Needs a PostgreSQL account that may create databases: PG_ADMIN_URL (default below).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${BENCH_DIR:-/tmp/bench-verval}"
pg_admin="${PG_ADMIN_URL:-postgres://sipmas:sipmas@127.0.0.1:5432/postgres}"
mkdir -p "$work"
(cd "$repo" && cargo build --release -p sipmas-cli)
cp "${CARGO_TARGET_DIR:-$repo/target}/release/sipmas" "$work/sipmas"
cd "$work"
rm -f verval.db verval.db-wal verval.db-shm
./sipmas --database-url "sqlite://$work/verval.db" demo --households 50000 --no-serve > gen-sqlite.log
psql "$pg_admin" -qc "drop database if exists benchverval with (force)" -c "create database benchverval"
./sipmas --database-url "${pg_admin%/*}/benchverval" demo --households 50000 --no-serve > gen-postgres.log
for backend in sqlite postgres; do
  case $backend in
    sqlite) url="sqlite://$work/verval.db" ;;
    postgres) url="${pg_admin%/*}/benchverval" ;;
  esac
  echo "== $backend"
  ./sipmas --database-url "$url" bench verval --visits "${VISITS:-200}" | tee "bench-$backend.txt"
done
