#!/usr/bin/env bash
# Runs every test: formatting, lints, unit and property tests, the store contract suite on
# SQLite and PostgreSQL (which must run: SIPMAS_REQUIRE_POSTGRES=1), CLI and HTTP tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# Keep the build cache outside the clone so fresh clones and CI stay fast.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sipmas/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

source scripts/ensure-postgres.sh
export SIPMAS_REQUIRE_POSTGRES=1

cargo fmt --all --check
cargo test --workspace --locked
# Browser journeys (e2e/): the debug binary, on SQLite and PostgreSQL.
cargo build --locked -p sipmas-cli
SIPMAS_BIN="$CARGO_TARGET_DIR/debug/sipmas" bash e2e/run.sh
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "all tests passed (SQLite and PostgreSQL)"
