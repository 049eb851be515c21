#!/usr/bin/env bash
# What the storage engines themselves need to store a million-row P3KE import
# (BENCHMARKS.md, "Register import", the floor). Run bench/import/run.sh first: it leaves
# the imported register in $WORK/bench.db and in the PostgreSQL database
# sipmas_bench_import. This script copies every row the import wrote, table by table, into
# empty tables of the same schema, in one transaction, inside the engine (SQLite's
# `insert … select` from an attached file; PostgreSQL's from the same database): no
# parsing, validation, planning, binding or client round trip. The indexes the import
# sets aside into an empty register are built after the rows, as the import does; foreign
# keys are left out. Whatever this takes, no importer over this schema can beat.
# Needs the sqlite3 shell (Debian: apt-get install sqlite3) and psql.
# Usage: bench/import/floor.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNS=${1:-3}
WORK=${BENCH_DIR:-/tmp/sipmas-bench-import}
BIN=$WORK/sipmas
REGIONS=$ROOT/data/wilayah/kaltim_64.csv
[ -s "$WORK/bench.db" ] && [ -x "$BIN" ] || { echo "run bench/import/run.sh first" >&2; exit 1; }

# The tables a P3KE first load writes, and the indexes it builds before its commit.
TABLES="households household_keys individuals individual_keys status_history source_blocks source_block_households"
SET_ASIDE="individuals_nik_idx individuals_name_key_idx households_no_kk_idx households_village_idx household_keys_household_idx"

rows=$(sqlite3 "$WORK/bench.db" "select count(*) from individuals")

sqlite_floor() {
    rm -f "$WORK"/floor.db*
    "$BIN" --database-url "sqlite://$WORK/floor.db" regions import "$REGIONS" >/dev/null
    {
        echo "pragma cache_size = -32768;"          # the import session's page cache
        echo "attach '$WORK/bench.db' as src;"
        echo "begin;"
        for i in $SET_ASIDE; do echo "drop index $i;"; done
        for t in $TABLES; do echo "insert into $t select * from src.$t;"; done
        for i in $SET_ASIDE; do sqlite3 "$WORK/bench.db" "select sql || ';' from sqlite_master where name = '$i'"; done
        echo "commit;"
    } >"$WORK/floor.sql"
    /usr/bin/time -f '%e' sqlite3 "$WORK/floor.db" <"$WORK/floor.sql" 2>&1 | tail -1
}

pg_floor() {
    local url=$1 aside tables kept later
    aside=$(printf "'%s'," $SET_ASIDE | sed 's/,$//')
    tables=$(printf "'%s'," $TABLES | sed 's/,$//')
    # Index names live in their table's schema: the same definitions serve for `floor`.
    defs() { psql -At "$url" -c "select replace(indexdef, ' ON public.', ' ON floor.') || ';'
        from pg_indexes where schemaname = 'public' and tablename in ($tables) and $1"; }
    kept=$(defs "indexname not in ($aside)")
    later=$(defs "indexname in ($aside)")
    {
        echo "drop schema if exists floor cascade; create schema floor;"
        for t in $TABLES; do
            echo "create table floor.$t (like public.$t including defaults including constraints);"
        done
        echo "$kept"
    } | psql -q -v ON_ERROR_STOP=1 "$url" >/dev/null 2>&1
    {
        echo "begin;"
        for t in $TABLES; do echo "insert into floor.$t select * from public.$t;"; done
        echo "$later"
        echo "commit;"
    } >"$WORK/floor-pg.sql"
    /usr/bin/time -f '%e' psql -q -v ON_ERROR_STOP=1 "$url" -f "$WORK/floor-pg.sql" 2>&1 | tail -1
    psql -q "$url" -c "drop schema floor cascade" >/dev/null 2>&1
}

echo "| engine | rows | run | floor | rate |"
echo "|---|---|---|---|---|"
for run in $(seq 1 "$RUNS"); do
    s=$(sqlite_floor)
    python3 -c "print(f'| SQLite (WAL) | {$rows:,} | $run | {$s:.1f} s | {$rows/$s:,.0f} rows/s |')"
done
rm -f "$WORK"/floor.db*
# shellcheck source=/dev/null
source "$ROOT/scripts/ensure-postgres.sh" >/dev/null
PG_URL=${SIPMAS_TEST_POSTGRES_URL%/*}/sipmas_bench_import
for run in $(seq 1 "$RUNS"); do
    s=$(pg_floor "$PG_URL")
    python3 -c "print(f'| PostgreSQL | {$rows:,} | $run | {$s:.1f} s | {$rows/$s:,.0f} rows/s |')"
done
