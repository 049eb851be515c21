#!/usr/bin/env bash
# Import benchmarks (BENCHMARKS.md, "Register import"): 1,000,000 P3KE rows written by the
# demo generator into SQLite and into PostgreSQL, and a 100,000-row XLSX into SQLite.
# Wall clock and peak RSS from /usr/bin/time. Usage: bench/import/run.sh [ROWS_HOUSEHOLDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HOUSEHOLDS=${1:-345000}          # about 1,000,000 P3KE rows (desil 1-4 families only)
XLSX_HOUSEHOLDS=${XLSX_HOUSEHOLDS:-34500}
WORK=${BENCH_DIR:-/tmp/sipmas-bench-import}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/sipmas/target}
mkdir -p "$WORK"
cargo build --release -q -p sipmas-cli
# A private copy: a concurrent build cannot swap the binary under the measurement.
cp "$CARGO_TARGET_DIR/release/sipmas" "$WORK/sipmas"
BIN=$WORK/sipmas
REGIONS=$ROOT/data/wilayah/kaltim_64.csv

if [ ! -s "$WORK/p3ke.csv" ]; then
    rm -f "$WORK"/gen.db*
    "$BIN" --database-url "sqlite://$WORK/gen.db" demo --no-serve --households "$HOUSEHOLDS" \
        --as-of 2026-11-01 --regions "$REGIONS" --write-p3ke "$WORK/p3ke.csv" >/dev/null
fi
if [ ! -s "$WORK/p3ke.xlsx" ]; then
    rm -f "$WORK"/genx.db*
    "$BIN" --database-url "sqlite://$WORK/genx.db" demo --no-serve --households "$XLSX_HOUSEHOLDS" \
        --as-of 2026-11-01 --regions "$REGIONS" --write-p3ke "$WORK/p3ke.xlsx" >/dev/null
fi

run() { # label url file
    local label=$1 url=$2 file=$3
    "$BIN" --database-url "$url" regions import "$REGIONS" >/dev/null
    local out
    out=$( { /usr/bin/time -f '%e %M' "$BIN" --database-url "$url" import --format p3ke --json "$file" >"$WORK/$label.json"; } 2>&1 | tail -1)
    local secs=${out% *} kb=${out#* }
    local rows
    rows=$(python3 -c "import json,sys; print(json.load(open('$WORK/$label.json'))['rows_imported'])")
    python3 -c "print(f'| $label | {int($rows):,} | {float($secs):.1f} s | {int($rows)/float($secs):,.0f} rows/s | {int($kb)//1024} MB |')"
}

echo "| run | rows imported | wall clock | rate | peak RSS |"
echo "|---|---|---|---|---|"
rm -f "$WORK"/bench.db*
run sqlite-csv "sqlite://$WORK/bench.db" "$WORK/p3ke.csv"
rm -f "$WORK"/benchx.db*
run sqlite-xlsx "sqlite://$WORK/benchx.db" "$WORK/p3ke.xlsx"
# shellcheck source=/dev/null
source "$ROOT/scripts/ensure-postgres.sh" >/dev/null
PG_BASE=${SIPMAS_TEST_POSTGRES_URL%/*}
psql "$SIPMAS_TEST_POSTGRES_URL" -qc "drop database if exists sipmas_bench_import" -c "create database sipmas_bench_import" >/dev/null
run postgres-csv "$PG_BASE/sipmas_bench_import" "$WORK/p3ke.csv"
