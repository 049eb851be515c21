#!/usr/bin/env bash
# Browser tests of the SIPMAS web app: node:test + playwright-core driving
# Debian's /usr/bin/chromium (installed on demand; Playwright never downloads
# a browser of its own).
#
#   SIPMAS_BIN=path/to/sipmas bash e2e/run.sh [extra node --test args]
#
# Runs every test file against SQLite and, when SIPMAS_TEST_POSTGRES_URL is
# set (an account allowed to create databases, e.g.
# postgres://sipmas:sipmas@127.0.0.1:5432/postgres), once more against
# PostgreSQL (SIPMAS_E2E_BACKEND tells the tests which; each test file makes
# and drops its own database). SIPMAS_REQUIRE_POSTGRES=1 makes a missing URL
# an error instead of a skip.
#
# Works from any cwd. Each run gets a scratch dir in $SIPMAS_E2E_TMP, removed
# at exit unless the run failed. Screenshots land in e2e/artifacts/ (emptied
# at the start of each run), named <file>-<backend>-<role>-<step>.png.
set -euo pipefail

e2e_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ -z "${SIPMAS_BIN:-}" ]; then
  echo "e2e/run.sh: SIPMAS_BIN is not set; point it at a built sipmas binary, e.g." >&2
  echo "  SIPMAS_BIN=\$HOME/.cache/sipmas/target/debug/sipmas bash e2e/run.sh" >&2
  exit 2
fi
if [ ! -x "$SIPMAS_BIN" ] || [ -d "$SIPMAS_BIN" ]; then
  echo "e2e/run.sh: SIPMAS_BIN=$SIPMAS_BIN is not an executable file" >&2
  exit 2
fi
SIPMAS_BIN="$(cd "$(dirname "$SIPMAS_BIN")" && pwd)/$(basename "$SIPMAS_BIN")"
export SIPMAS_BIN

backends=(sqlite)
if [ -n "${SIPMAS_TEST_POSTGRES_URL:-}" ]; then
  if ! command -v psql >/dev/null; then
    echo "e2e/run.sh: SIPMAS_TEST_POSTGRES_URL is set but psql is missing (apt-get install postgresql-client)" >&2
    exit 2
  fi
  backends+=(postgres)
elif [ "${SIPMAS_REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "e2e/run.sh: SIPMAS_REQUIRE_POSTGRES=1 but SIPMAS_TEST_POSTGRES_URL is not set" >&2
  exit 2
else
  echo "e2e/run.sh: SIPMAS_TEST_POSTGRES_URL is not set; PostgreSQL run skipped" >&2
fi

# shellcheck source=../scripts/ensure-chromium.sh
source "$e2e_dir/../scripts/ensure-chromium.sh"

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# npm ci leaves node_modules/.package-lock.json behind; reinstall when it is
# missing or older than the committed lock file.
if [ ! -e "$e2e_dir/node_modules/.package-lock.json" ] \
   || [ "$e2e_dir/package-lock.json" -nt "$e2e_dir/node_modules/.package-lock.json" ]; then
  (cd "$e2e_dir" && npm ci --no-audit --no-fund)
fi

SIPMAS_E2E_TMP="$(mktemp -d "${TMPDIR:-/tmp}/sipmas-e2e.XXXXXX")"
export SIPMAS_E2E_TMP
cleanup() {
  local rc=$?
  if [ "$rc" -eq 0 ]; then
    rm -rf "$SIPMAS_E2E_TMP"
  else
    echo "e2e/run.sh: failed (exit $rc); scratch files kept in $SIPMAS_E2E_TMP" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
# Screenshots of this run only (step numbers shift when journeys change).
mkdir -p "$e2e_dir/artifacts"
rm -f "$e2e_dir"/artifacts/*.png

cd "$e2e_dir"
failed=()
for b in "${backends[@]}"; do
  echo "e2e/run.sh: backend $b" >&2
  start=$SECONDS
  if SIPMAS_E2E_BACKEND="$b" node --test --test-concurrency=1 "$@" tests/; then
    echo "e2e/run.sh: backend $b passed in $((SECONDS - start)) s" >&2
  else
    echo "e2e/run.sh: backend $b FAILED after $((SECONDS - start)) s" >&2
    failed+=("$b")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "e2e/run.sh: failed on: ${failed[*]}" >&2
  exit 1
fi
