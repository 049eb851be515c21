#!/usr/bin/env bash
# Side-by-side record-linkage benchmark: sipmas link csv against Splink (DuckDB) on FEBRL3,
# FEBRL4 and synthetic Indonesian registers of about 100,000 and 1,000,000 records.
# Prints precision, recall, F1 (pairs, and cluster-implied pairs for deduplication), wall
# time and peak RSS for both, and the ratios.
#
#   bench/linkage/run.sh                 # everything (the 1M Splink run takes a while)
#   SETS="febrl3 febrl4 id100k" bench/linkage/run.sh
#   SIPMAS_BIN=/path/to/sipmas bench/linkage/run.sh   # benchmark a binary built elsewhere
#
# Needs python3 with venv, /usr/bin/time (Debian package `time`) and network access to
# PyPI the first time (the venv is kept in $HOME/.cache/sipmas/splink-venv).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/linkage"
WORK="${WORK:-$HOME/.cache/sipmas/linkage-bench}"
VENV="${VENV:-$HOME/.cache/sipmas/splink-venv}"
SETS="${SETS:-febrl3 febrl4 id100k id1m}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sipmas/target}"
mkdir -p "$WORK"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import splink, pandas" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q splink pandas
fi
echo "Splink $("$VENV/bin/python" -c 'import splink; print(splink.__version__)')"

# SIPMAS_BIN=path skips the build and benchmarks that binary instead.
SIPMAS="$WORK/sipmas"
if [ -n "${SIPMAS_BIN:-}" ]; then
    cp "$SIPMAS_BIN" "$SIPMAS"
else
    (cd "$ROOT" && cargo build --release -q -p sipmas-cli)
    cp "$CARGO_TARGET_DIR/release/sipmas" "$SIPMAS"
fi

# About 3.76 living people per household and 10% planted duplicates.
generate() { # name households
    local csv="$WORK/$1.csv"
    if [ ! -s "$csv" ]; then
        rm -f "$WORK/$1.db"
        "$SIPMAS" demo --database-url "sqlite://$WORK/$1.db" --no-serve --households "$2" \
            --seed 2022 --as-of 2024-06-30 --write-linkage "$csv" >/dev/null
        rm -f "$WORK/$1.db"*
    fi
}

run_set() { # name
    local name="$1" config inputs kind truth
    case "$name" in
        febrl3) config=febrl3; kind=febrl3; inputs=("$ROOT/data/linkage/febrl3.csv")
                truth=(--truth "$ROOT/data/linkage/febrl3_truth.csv") ;;
        febrl4) config=febrl4; kind=febrl4
                inputs=("$ROOT/data/linkage/febrl4a.csv" "$ROOT/data/linkage/febrl4b.csv")
                truth=(--truth "$ROOT/data/linkage/febrl4_truth.csv") ;;
        id100k) generate id100k 26600; config=indonesia; kind=indonesia; inputs=("$WORK/id100k.csv")
                truth=(--truth-column "$WORK/id100k.csv" record_id cluster_id) ;;
        id1m)   generate id1m 266000; config=indonesia; kind=indonesia; inputs=("$WORK/id1m.csv")
                truth=(--truth-column "$WORK/id1m.csv" record_id cluster_id) ;;
        *) echo "unknown set $name" >&2; exit 2 ;;
    esac
    local out="$WORK/out/$name"
    mkdir -p "$out/sipmas" "$out/splink"
    local args=(--config "$ROOT/config/linkage/$config.toml" --output "$out/sipmas/pairs.csv")
    for i in "${inputs[@]}"; do args+=(--input "$i"); done
    [ ${#inputs[@]} -eq 1 ] && args+=(--clusters "$out/sipmas/clusters.csv")
    /usr/bin/time -v "$SIPMAS" link csv "${args[@]}" >"$out/sipmas/log.txt" 2>"$out/sipmas/time.txt"
    /usr/bin/time -v "$VENV/bin/python" "$HERE/splink_run.py" "$kind" "$out/splink" "${inputs[@]}" \
        >"$out/splink/log.txt" 2>"$out/splink/time.txt"
    for tool in sipmas splink; do
        local cl=()
        [ -f "$out/$tool/clusters.csv" ] && cl=(--clusters "$out/$tool/clusters.csv")
        python3 "$HERE/evaluate.py" --pairs "$out/$tool/pairs.csv" "${truth[@]}" "${cl[@]}" \
            >"$out/$tool/scores.json"
    done
}

for s in $SETS; do
    echo "== $s"
    run_set "$s"
done
python3 "$HERE/report.py" "$WORK/out" $SETS
